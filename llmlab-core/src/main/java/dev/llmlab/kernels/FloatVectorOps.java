package dev.llmlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** {@link VectorOps} with the machine's preferred float vectors, scalar tails. */
final class FloatVectorOps implements VectorOps {

    @Override
    public float dot(float[] a, int aOffset, float[] b, int bOffset, int n) {
        FloatVector acc = FloatVector.zero(VectorKernels.F);
        int i = 0;
        int bound = VectorKernels.F.loopBound(n);
        for (; i < bound; i += VectorKernels.L) {
            FloatVector va = FloatVector.fromArray(VectorKernels.F, a, aOffset + i);
            FloatVector vb = FloatVector.fromArray(VectorKernels.F, b, bOffset + i);
            acc = va.fma(vb, acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a[aOffset + i] * b[bOffset + i];
        }
        return sum;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int n) {
        FloatVector va = FloatVector.broadcast(VectorKernels.F, alpha);
        int i = 0;
        int bound = VectorKernels.F.loopBound(n);
        for (; i < bound; i += VectorKernels.L) {
            FloatVector vx = FloatVector.fromArray(VectorKernels.F, x, xOffset + i);
            FloatVector vy = FloatVector.fromArray(VectorKernels.F, y, yOffset + i);
            vx.fma(va, vy).intoArray(y, yOffset + i);
        }
        for (; i < n; i++) {
            y[yOffset + i] += alpha * x[xOffset + i];
        }
    }
}
