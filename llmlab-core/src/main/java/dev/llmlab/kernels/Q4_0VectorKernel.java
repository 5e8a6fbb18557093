package dev.llmlab.kernels;

import dev.llmlab.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static dev.llmlab.kernels.VectorKernels.B;
import static dev.llmlab.kernels.VectorKernels.F;
import static dev.llmlab.kernels.VectorKernels.F16_SCALE;
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
 * consecutive values: low nibbles pair with x[j..], high nibbles with x[j + 16..].
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
        int blocks = count / BLOCK;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int b = 0;
        for (; b + 2 <= blocks; b += 2) {
            long block = byteOffset + (long) BLOCK_BYTES * b;
            int xi = xOffset + BLOCK * b;
            acc0 = blockDot(data, block, x, xi, acc0);
            acc1 = blockDot(data, block + BLOCK_BYTES, x, xi + BLOCK, acc1);
        }
        if (b < blocks) {
            acc0 = blockDot(data, byteOffset + (long) BLOCK_BYTES * b, x, xOffset + BLOCK * b, acc0);
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    /** {@code acc + d * ((nibbles - 8) . x)} for one block, lane-wise. */
    private static FloatVector blockDot(MemorySegment data, long block, float[] x, int xi, FloatVector acc) {
        FloatVector sum = FloatVector.zero(F);
        for (int j = 0; j < HALF; j += B.length()) {
            ByteVector qs = ByteVector.fromMemorySegment(B, data, block + 2 + j, LE);
            ByteVector low = qs.and((byte) 0x0F).sub((byte) 8);
            ByteVector high = qs.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
            for (int p = 0; p < PARTS; p++) {
                FloatVector wLow = (FloatVector) low.convertShape(VectorOperators.B2F, F, p);
                FloatVector wHigh = (FloatVector) high.convertShape(VectorOperators.B2F, F, p);
                sum = wLow.fma(FloatVector.fromArray(F, x, xi + j + p * L), sum);
                sum = wHigh.fma(FloatVector.fromArray(F, x, xi + HALF + j + p * L), sum);
            }
        }
        float d = Float.float16ToFloat(data.get(F16_SCALE, block));
        return sum.fma(FloatVector.broadcast(F, d), acc);
    }

    @Override
    public void dequantize(MemorySegment data, long byteOffset, float[] out, int outOffset, int count) {
        for (int b = 0; b < count / BLOCK; b++) {
            long block = byteOffset + (long) BLOCK_BYTES * b;
            FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(data.get(F16_SCALE, block)));
            int oi = outOffset + BLOCK * b;
            for (int j = 0; j < HALF; j += B.length()) {
                ByteVector qs = ByteVector.fromMemorySegment(B, data, block + 2 + j, LE);
                ByteVector low = qs.and((byte) 0x0F).sub((byte) 8);
                ByteVector high = qs.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
                for (int p = 0; p < PARTS; p++) {
                    ((FloatVector) low.convertShape(VectorOperators.B2F, F, p)).mul(d).intoArray(out, oi + j + p * L);
                    ((FloatVector) high.convertShape(VectorOperators.B2F, F, p)).mul(d)
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
