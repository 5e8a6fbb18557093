package dev.llmlab.kernels;

import dev.llmlab.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static dev.llmlab.kernels.VectorKernels.B;
import static dev.llmlab.kernels.VectorKernels.F;
import static dev.llmlab.kernels.VectorKernels.F16_SCALE;
import static dev.llmlab.kernels.VectorKernels.I;
import static dev.llmlab.kernels.VectorKernels.L;
import static dev.llmlab.kernels.VectorKernels.PARTS;

/**
 * Q4_1, Q5_0 and Q5_1: 32-value blocks of nibbles, as Q4_0, with a min and/or a fifth bit per value
 * (layouts in {@link LegacyQuantReference}):
 * <pre>
 *   Q4_1  d, m, qs[16]        value = d * nibble + m
 *   Q5_0  d, qh, qs[16]       value = d * ((nibble | bit << 4) - 16)
 *   Q5_1  d, m, qh, qs[16]    value = d * (nibble | bit << 4) + m
 * </pre>
 * Bit j of the 32-bit qh belongs to value j: each lane shifts the broadcast qh right by its own value index
 * (a variable per-lane shift). The three formats differ only in which fields exist; the choice is made by
 * final fields for scalar values only (a missing qh reads as 0, a missing min as -0): a vector assigned in
 * one branch of an if is boxed by C2 and ran 3x slower. A weight is one FMA ({@code q * d + bias}), then one
 * FMA into the sum.
 */
final class LegacyQuantVectorKernel implements RowKernel {
    private static final int BLOCK = 32;
    private static final int HALF = 16;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Lane i holds i: value indices for the per-lane shift of qh. */
    private static final IntVector LANE_INDEX = IntVector.zero(I).addIndex(1);

    private final GgmlType type;
    private final boolean hasMin;
    private final boolean hasFifthBit;
    private final int blockBytes;
    private final int quantsOffset;
    /** Subtracted from the quant when there is no min: 16 for Q5_0. */
    private final int zero;

    LegacyQuantVectorKernel(GgmlType type) {
        this.type = type;
        this.hasMin = type == GgmlType.Q4_1 || type == GgmlType.Q5_1;
        this.hasFifthBit = type == GgmlType.Q5_0 || type == GgmlType.Q5_1;
        if (!hasMin && !hasFifthBit) {
            throw new IllegalArgumentException("not Q4_1, Q5_0 or Q5_1: " + type);
        }
        this.blockBytes = type.blockBytes();
        this.quantsOffset = 2 + (hasMin ? 2 : 0) + (hasFifthBit ? 4 : 0);
        this.zero = hasMin ? 0 : 16;
    }

    @Override
    public GgmlType type() {
        return type;
    }

    @Override
    public float dot(MemorySegment data, long byteOffset, float[] x, int xOffset, int count) {
        // Block body inline (no vector helper methods): a vector crossing a call C2 did not inline is boxed.
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int b = 0; b < count / BLOCK; b++) {
            long block = byteOffset + (long) blockBytes * b;
            int xi = xOffset + BLOCK * b;
            float d = Float.float16ToFloat(data.get(F16_SCALE, block));
            float bias = hasMin ? Float.float16ToFloat(data.get(F16_SCALE, block + 2)) : -zero * d;
            int qh = hasFifthBit ? data.get(I32, block + quantsOffset - 4) : 0;
            FloatVector dv = FloatVector.broadcast(F, d);
            FloatVector bv = FloatVector.broadcast(F, bias);
            IntVector high = IntVector.broadcast(I, qh); // 0 without fifth bits: the or below adds nothing
            for (int j = 0; j < HALF; j += B.length()) {
                ByteVector qs = ByteVector.fromMemorySegment(B, data, block + quantsOffset + j, LE);
                for (int p = 0; p < PARTS; p++) {
                    IntVector q = (IntVector) qs.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                    IntVector index = LANE_INDEX.add(j + p * L);
                    IntVector low = q.and(0x0F)
                            .or(high.lanewise(VectorOperators.LSHR, index).lanewise(VectorOperators.LSHL, 4).and(0x10));
                    IntVector upper = q.lanewise(VectorOperators.LSHR, 4).or(high.lanewise(VectorOperators.LSHR,
                            index.add(HALF)).lanewise(VectorOperators.LSHL, 4).and(0x10));
                    FloatVector w0 = ((FloatVector) low.convert(VectorOperators.I2F, 0)).fma(dv, bv);
                    FloatVector w1 = ((FloatVector) upper.convert(VectorOperators.I2F, 0)).fma(dv, bv);
                    acc0 = w0.fma(FloatVector.fromArray(F, x, xi + j + p * L), acc0);
                    acc1 = w1.fma(FloatVector.fromArray(F, x, xi + HALF + j + p * L), acc1);
                }
            }
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void dequantize(MemorySegment data, long byteOffset, float[] out, int outOffset, int count) {
        for (int b = 0; b < count / BLOCK; b++) {
            long block = byteOffset + (long) blockBytes * b;
            int oi = outOffset + BLOCK * b;
            float d = Float.float16ToFloat(data.get(F16_SCALE, block));
            // without a min, add -0: x + -0 == x for every x, the sign of zero included
            float m = hasMin ? Float.float16ToFloat(data.get(F16_SCALE, block + 2)) : -0f;
            int qh = hasFifthBit ? data.get(I32, block + quantsOffset - 4) : 0;
            FloatVector dv = FloatVector.broadcast(F, d);
            FloatVector mv = FloatVector.broadcast(F, m);
            IntVector high = IntVector.broadcast(I, qh);
            for (int j = 0; j < HALF; j += B.length()) {
                ByteVector qs = ByteVector.fromMemorySegment(B, data, block + quantsOffset + j, LE);
                for (int p = 0; p < PARTS; p++) {
                    IntVector q = (IntVector) qs.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                    IntVector index = LANE_INDEX.add(j + p * L);
                    IntVector low = q.and(0x0F)
                            .or(high.lanewise(VectorOperators.LSHR, index).lanewise(VectorOperators.LSHL, 4).and(0x10));
                    IntVector upper = q.lanewise(VectorOperators.LSHR, 4).or(high.lanewise(VectorOperators.LSHR,
                            index.add(HALF)).lanewise(VectorOperators.LSHL, 4).and(0x10));
                    // the reference's arithmetic: (q - zero) * d, or q * d + m (two roundings)
                    ((FloatVector) low.sub(zero).convert(VectorOperators.I2F, 0)).mul(dv).add(mv)
                            .intoArray(out, oi + j + p * L);
                    ((FloatVector) upper.sub(zero).convert(VectorOperators.I2F, 0)).mul(dv).add(mv)
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
