package dev.llmlab.kernels;

import dev.llmlab.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static dev.llmlab.kernels.VectorKernels.B;
import static dev.llmlab.kernels.VectorKernels.F;
import static dev.llmlab.kernels.VectorKernels.F16_SCALE;
import static dev.llmlab.kernels.VectorKernels.I;
import static dev.llmlab.kernels.VectorKernels.L;
import static dev.llmlab.kernels.VectorKernels.PARTS;

/**
 * Q4_0 layout: blocks of 32 values in 18 bytes:
 * <pre>
 *   bytes 0..1   d, fp16 scale (little-endian)
 *   bytes 2..17  qs[0..15]; low nibble of qs[j] is value j, high nibble is value j + 16
 *   value       = d * (nibble - 8)
 * </pre>
 * The split into low and high nibbles matches the value order, so one byte load yields two runs of
 * consecutive values: low nibbles pair with x[j..], high nibbles with x[j + 16..]. Nibbles are split in
 * 32-bit lanes (x86 has no byte shifts; the Vector API would emulate them, 30% slower).
 */
final class Q4_0VectorKernel implements RowKernel {
    private static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 18;
    private static final int HALF = 16;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public float dot(MemorySegment data, long byteOffset, float[] x, int xOffset, int count) {
        // The block body is written inline (no helper call): C2 may refuse to inline a large vector helper,
        // and a vector that crosses a call that was not inlined is boxed (measured 2.7x slower).
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int b = 0; b < count / BLOCK; b++) {
            long block = byteOffset + (long) BLOCK_BYTES * b;
            int xi = xOffset + BLOCK * b;
            FloatVector sum = FloatVector.zero(F);
            for (int j = 0; j < HALF; j += B.length()) {
                ByteVector qs = ByteVector.fromMemorySegment(B, data, block + 2 + j, LE);
                for (int p = 0; p < PARTS; p++) {
                    IntVector q = (IntVector) qs.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                    FloatVector low = (FloatVector) q.and(0x0F).sub(8).convert(VectorOperators.I2F, 0);
                    FloatVector high = (FloatVector) q.lanewise(VectorOperators.LSHR, 4).sub(8)
                            .convert(VectorOperators.I2F, 0);
                    sum = low.fma(FloatVector.fromArray(F, x, xi + j + p * L), sum);
                    sum = high.fma(FloatVector.fromArray(F, x, xi + HALF + j + p * L), sum);
                }
            }
            FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(data.get(F16_SCALE, block)));
            // two accumulators taking turns halve the dependency chain through the scaling FMA
            FloatVector next = sum.fma(d, acc0);
            acc0 = acc1;
            acc1 = next;
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void dequantize(MemorySegment data, long byteOffset, float[] out, int outOffset, int count) {
        for (int b = 0; b < count / BLOCK; b++) {
            long block = byteOffset + (long) BLOCK_BYTES * b;
            FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(data.get(F16_SCALE, block)));
            int oi = outOffset + BLOCK * b;
            for (int j = 0; j < HALF; j += B.length()) {
                ByteVector qs = ByteVector.fromMemorySegment(B, data, block + 2 + j, LE);
                for (int p = 0; p < PARTS; p++) {
                    IntVector q = (IntVector) qs.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                    ((FloatVector) q.and(0x0F).sub(8).convert(VectorOperators.I2F, 0)).mul(d)
                            .intoArray(out, oi + j + p * L);
                    ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0)).mul(d)
                            .intoArray(out, oi + HALF + j + p * L);
                }
            }
        }
    }

    @Override
    public void dotRows(MemorySegment data, int cols, int rowStart, int rowEnd,
                        float[] xs, int batch, float[] out, int outStride) {
        BatchedRowProduct.compute(this, data, cols, rowStart, rowEnd, xs, batch, out, outStride);
    }
}
