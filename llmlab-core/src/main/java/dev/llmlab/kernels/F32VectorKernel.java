package dev.llmlab.kernels;

import dev.llmlab.gguf.GgmlType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static dev.llmlab.kernels.VectorKernels.F;
import static dev.llmlab.kernels.VectorKernels.L;

/**
 * F32 layout: 4-byte little-endian IEEE floats, no blocks; any length. Four accumulators hide the FMA
 * latency; the tail shorter than a vector is summed in scalar.
 */
final class F32VectorKernel implements RowKernel {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    public float dot(MemorySegment data, long byteOffset, float[] x, int xOffset, int count) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        int i = 0;
        for (; i + 4 * L <= count; i += 4 * L) {
            long at = byteOffset + 4L * i;
            acc0 = load(data, at).fma(FloatVector.fromArray(F, x, xOffset + i), acc0);
            acc1 = load(data, at + 4L * L).fma(FloatVector.fromArray(F, x, xOffset + i + L), acc1);
            acc2 = load(data, at + 8L * L).fma(FloatVector.fromArray(F, x, xOffset + i + 2 * L), acc2);
            acc3 = load(data, at + 12L * L).fma(FloatVector.fromArray(F, x, xOffset + i + 3 * L), acc3);
        }
        for (; i + L <= count; i += L) {
            acc0 = load(data, byteOffset + 4L * i).fma(FloatVector.fromArray(F, x, xOffset + i), acc0);
        }
        float sum = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
        for (; i < count; i++) {
            sum += data.get(F32, byteOffset + 4L * i) * x[xOffset + i];
        }
        return sum;
    }

    @Override
    public void dequantize(MemorySegment data, long byteOffset, float[] out, int outOffset, int count) {
        MemorySegment.copy(data, F32, byteOffset, out, outOffset, count);
    }

    @Override
    public void dotRows(MemorySegment data, int cols, int rowStart, int rowEnd,
                        float[] xs, int batch, float[] out, int outStride) {
        BatchedRowProduct.compute(this, data, cols, rowStart, rowEnd, xs, batch, out, outStride);
    }

    private static FloatVector load(MemorySegment data, long at) {
        return FloatVector.fromMemorySegment(F, data, at, LE);
    }
}
