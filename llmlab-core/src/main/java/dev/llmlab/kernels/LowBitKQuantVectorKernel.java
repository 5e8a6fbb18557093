package dev.llmlab.kernels;

import dev.llmlab.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static dev.llmlab.kernels.VectorKernels.F;
import static dev.llmlab.kernels.VectorKernels.F16_SCALE;
import static dev.llmlab.kernels.VectorKernels.I;
import static dev.llmlab.kernels.VectorKernels.L;

/**
 * Q2_K and Q3_K (layouts in {@link KQuantReference}): super-blocks of 256 values in 16 groups of 16, each
 * group with its own scale; two quant bits per value in qs, Q3_K adds a third from hmask:
 * <pre>
 *   group g = 8n + 2s + h (n: 128-value half, s: bit pair, h: 16-byte half) holds values 128n + 32s + 16h + l,
 *   l = 0..15; their two low bits are bits 2s..2s+1 of qs[32n + 16h + l]
 *   Q2_K  value = (d * (scales[g] & 15)) * q - dmin * (scales[g] >> 4)
 *   Q3_K  value = (d * (scale6[g] - 32)) * (q | third bit << 2) - 4 * that scale, with the third bit
 *         bit 4n + s of hmask[16h + l]
 * </pre>
 * The 16 groups of a super-block are written out (generated code: constant shifts and offsets); a group's
 * 16 quant bytes are one 128-bit load; a weight is one FMA ({@code q * dl + bias}), then one FMA into the sum.
 * The formats differ in the scale and the third bit, chosen by final fields that change scalars only (Q2_K
 * masks the third bit away and subtracts 0; Q3_K subtracts 4).
 */
final class LowBitKQuantVectorKernel implements RowKernel {
    private static final int BLOCK = 256;
    private static final VectorSpecies<Byte> BYTES16 = ByteVector.SPECIES_128;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Int vectors per 16 quants. */
    private static final int PARTS16 = 16 / L;

    private final GgmlType type;
    private final boolean threeBits;
    private final int blockBytes;
    /** Offset of qs in a block. */
    private final int quants;
    /** Mask of the third quant bit: 4 for Q3_K, 0 for Q2_K. */
    private final int thirdBit;
    /** Subtracted from the 3-bit quant: 4 for Q3_K (signed), 0 for Q2_K. */
    private final int zero;

    LowBitKQuantVectorKernel(GgmlType type) {
        if (type != GgmlType.Q2_K && type != GgmlType.Q3_K) {
            throw new IllegalArgumentException("not Q2_K or Q3_K: " + type);
        }
        this.type = type;
        this.threeBits = type == GgmlType.Q3_K;
        this.blockBytes = type.blockBytes();
        this.quants = threeBits ? 32 : 16;
        this.thirdBit = threeBits ? 4 : 0;
        this.zero = threeBits ? 4 : 0;
    }

    @Override
    public GgmlType type() {
        return type;
    }

    @Override
    public float dot(MemorySegment data, long byteOffset, float[] x, int xOffset, int count) {
        // Vector code inline and partly written out (generated): no vector helper methods (a vector crossing a
        // call C2 did not inline is boxed), no vector assigned under a condition, constant shift counts (a loop
        // over groups with variable shifts ran 10x slower), and a body small enough for C2 (all 16 groups
        // written out exceeded the JIT's 8000-byte method limit and ran interpreted).
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        float[] scales = new float[48];
        for (int b = 0; b < count / BLOCK; b++) {
            long block = byteOffset + (long) blockBytes * b;
            int xb = xOffset + BLOCK * b;
            groupScales(data, block, scales);
            for (int h = 0; h < 2; h++) {
                ByteVector q0 = ByteVector.fromMemorySegment(BYTES16, data, block + quants + 16 * h, LE);
                ByteVector q1 = ByteVector.fromMemorySegment(BYTES16, data, block + quants + 32 + 16 * h, LE);
                // Q3_K's hmask; Q2_K reads its scales there and masks the bit away (thirdBit = 0)
                ByteVector hm = ByteVector.fromMemorySegment(BYTES16, data, block + 16 * h, LE);
                { // group 0 + h: bits 0..1 of qs[0 + 16h..], hmask bit 0
                    float dl = scales[0 + h];
                    FloatVector dv = FloatVector.broadcast(F, dl);
                    FloatVector bv = FloatVector.broadcast(F, scales[16 + 0 + h]);
                    int xi = xb + 0 + 16 * h;
                    for (int p = 0; p < PARTS16; p++) {
                        IntVector q = ((IntVector) q0.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).and(3)
                                .or(((IntVector) hm.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHL, 2).and(thirdBit));
                        acc0 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(dv, bv)
                                .fma(FloatVector.fromArray(F, x, xi + p * L), acc0);
                    }
                }
                { // group 2 + h: bits 2..3 of qs[0 + 16h..], hmask bit 1
                    float dl = scales[2 + h];
                    FloatVector dv = FloatVector.broadcast(F, dl);
                    FloatVector bv = FloatVector.broadcast(F, scales[16 + 2 + h]);
                    int xi = xb + 32 + 16 * h;
                    for (int p = 0; p < PARTS16; p++) {
                        IntVector q = ((IntVector) q0.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 2).and(3)
                                .or(((IntVector) hm.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHL, 1).and(thirdBit));
                        acc1 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(dv, bv)
                                .fma(FloatVector.fromArray(F, x, xi + p * L), acc1);
                    }
                }
                { // group 4 + h: bits 4..5 of qs[0 + 16h..], hmask bit 2
                    float dl = scales[4 + h];
                    FloatVector dv = FloatVector.broadcast(F, dl);
                    FloatVector bv = FloatVector.broadcast(F, scales[16 + 4 + h]);
                    int xi = xb + 64 + 16 * h;
                    for (int p = 0; p < PARTS16; p++) {
                        IntVector q = ((IntVector) q0.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 4).and(3)
                                .or(((IntVector) hm.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).and(thirdBit));
                        acc0 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(dv, bv)
                                .fma(FloatVector.fromArray(F, x, xi + p * L), acc0);
                    }
                }
                { // group 6 + h: bits 6..7 of qs[0 + 16h..], hmask bit 3
                    float dl = scales[6 + h];
                    FloatVector dv = FloatVector.broadcast(F, dl);
                    FloatVector bv = FloatVector.broadcast(F, scales[16 + 6 + h]);
                    int xi = xb + 96 + 16 * h;
                    for (int p = 0; p < PARTS16; p++) {
                        IntVector q = ((IntVector) q0.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 6).and(3)
                                .or(((IntVector) hm.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 1).and(thirdBit));
                        acc1 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(dv, bv)
                                .fma(FloatVector.fromArray(F, x, xi + p * L), acc1);
                    }
                }
                { // group 8 + h: bits 0..1 of qs[32 + 16h..], hmask bit 4
                    float dl = scales[8 + h];
                    FloatVector dv = FloatVector.broadcast(F, dl);
                    FloatVector bv = FloatVector.broadcast(F, scales[16 + 8 + h]);
                    int xi = xb + 128 + 16 * h;
                    for (int p = 0; p < PARTS16; p++) {
                        IntVector q = ((IntVector) q1.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).and(3)
                                .or(((IntVector) hm.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 2).and(thirdBit));
                        acc0 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(dv, bv)
                                .fma(FloatVector.fromArray(F, x, xi + p * L), acc0);
                    }
                }
                { // group 10 + h: bits 2..3 of qs[32 + 16h..], hmask bit 5
                    float dl = scales[10 + h];
                    FloatVector dv = FloatVector.broadcast(F, dl);
                    FloatVector bv = FloatVector.broadcast(F, scales[16 + 10 + h]);
                    int xi = xb + 160 + 16 * h;
                    for (int p = 0; p < PARTS16; p++) {
                        IntVector q = ((IntVector) q1.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 2).and(3)
                                .or(((IntVector) hm.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 3).and(thirdBit));
                        acc1 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(dv, bv)
                                .fma(FloatVector.fromArray(F, x, xi + p * L), acc1);
                    }
                }
                { // group 12 + h: bits 4..5 of qs[32 + 16h..], hmask bit 6
                    float dl = scales[12 + h];
                    FloatVector dv = FloatVector.broadcast(F, dl);
                    FloatVector bv = FloatVector.broadcast(F, scales[16 + 12 + h]);
                    int xi = xb + 192 + 16 * h;
                    for (int p = 0; p < PARTS16; p++) {
                        IntVector q = ((IntVector) q1.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 4).and(3)
                                .or(((IntVector) hm.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 4).and(thirdBit));
                        acc0 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(dv, bv)
                                .fma(FloatVector.fromArray(F, x, xi + p * L), acc0);
                    }
                }
                { // group 14 + h: bits 6..7 of qs[32 + 16h..], hmask bit 7
                    float dl = scales[14 + h];
                    FloatVector dv = FloatVector.broadcast(F, dl);
                    FloatVector bv = FloatVector.broadcast(F, scales[16 + 14 + h]);
                    int xi = xb + 224 + 16 * h;
                    for (int p = 0; p < PARTS16; p++) {
                        IntVector q = ((IntVector) q1.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 6).and(3)
                                .or(((IntVector) hm.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 5).and(thirdBit));
                        acc1 = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(dv, bv)
                                .fma(FloatVector.fromArray(F, x, xi + p * L), acc1);
                    }
                }
            }
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void dequantize(MemorySegment data, long byteOffset, float[] out, int outOffset, int count) {
        float[] scales = new float[48];
        for (int b = 0; b < count / BLOCK; b++) {
            long block = byteOffset + (long) blockBytes * b;
            int ob = outOffset + BLOCK * b;
            groupScales(data, block, scales);
            for (int h = 0; h < 2; h++) {
                ByteVector q0 = ByteVector.fromMemorySegment(BYTES16, data, block + quants + 16 * h, LE);
                ByteVector q1 = ByteVector.fromMemorySegment(BYTES16, data, block + quants + 32 + 16 * h, LE);
                // Q3_K's hmask; Q2_K reads its scales there and masks the bit away (thirdBit = 0)
                ByteVector hm = ByteVector.fromMemorySegment(BYTES16, data, block + 16 * h, LE);
                { // group 0 + h
                    FloatVector dv = FloatVector.broadcast(F, scales[0 + h]);
                    FloatVector mv = FloatVector.broadcast(F, scales[32 + 0 + h]);
                    int oi = ob + 0 + 16 * h;
                    for (int p = 0; p < PARTS16; p++) {
                        IntVector q = ((IntVector) q0.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).and(3)
                                .or(((IntVector) hm.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHL, 2).and(thirdBit)).sub(zero);
                        ((FloatVector) q.convert(VectorOperators.I2F, 0)).mul(dv).add(mv).intoArray(out, oi + p * L);
                    }
                }
                { // group 2 + h
                    FloatVector dv = FloatVector.broadcast(F, scales[2 + h]);
                    FloatVector mv = FloatVector.broadcast(F, scales[32 + 2 + h]);
                    int oi = ob + 32 + 16 * h;
                    for (int p = 0; p < PARTS16; p++) {
                        IntVector q = ((IntVector) q0.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 2).and(3)
                                .or(((IntVector) hm.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHL, 1).and(thirdBit)).sub(zero);
                        ((FloatVector) q.convert(VectorOperators.I2F, 0)).mul(dv).add(mv).intoArray(out, oi + p * L);
                    }
                }
                { // group 4 + h
                    FloatVector dv = FloatVector.broadcast(F, scales[4 + h]);
                    FloatVector mv = FloatVector.broadcast(F, scales[32 + 4 + h]);
                    int oi = ob + 64 + 16 * h;
                    for (int p = 0; p < PARTS16; p++) {
                        IntVector q = ((IntVector) q0.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 4).and(3)
                                .or(((IntVector) hm.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).and(thirdBit)).sub(zero);
                        ((FloatVector) q.convert(VectorOperators.I2F, 0)).mul(dv).add(mv).intoArray(out, oi + p * L);
                    }
                }
                { // group 6 + h
                    FloatVector dv = FloatVector.broadcast(F, scales[6 + h]);
                    FloatVector mv = FloatVector.broadcast(F, scales[32 + 6 + h]);
                    int oi = ob + 96 + 16 * h;
                    for (int p = 0; p < PARTS16; p++) {
                        IntVector q = ((IntVector) q0.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 6).and(3)
                                .or(((IntVector) hm.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 1).and(thirdBit)).sub(zero);
                        ((FloatVector) q.convert(VectorOperators.I2F, 0)).mul(dv).add(mv).intoArray(out, oi + p * L);
                    }
                }
                { // group 8 + h
                    FloatVector dv = FloatVector.broadcast(F, scales[8 + h]);
                    FloatVector mv = FloatVector.broadcast(F, scales[32 + 8 + h]);
                    int oi = ob + 128 + 16 * h;
                    for (int p = 0; p < PARTS16; p++) {
                        IntVector q = ((IntVector) q1.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).and(3)
                                .or(((IntVector) hm.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 2).and(thirdBit)).sub(zero);
                        ((FloatVector) q.convert(VectorOperators.I2F, 0)).mul(dv).add(mv).intoArray(out, oi + p * L);
                    }
                }
                { // group 10 + h
                    FloatVector dv = FloatVector.broadcast(F, scales[10 + h]);
                    FloatVector mv = FloatVector.broadcast(F, scales[32 + 10 + h]);
                    int oi = ob + 160 + 16 * h;
                    for (int p = 0; p < PARTS16; p++) {
                        IntVector q = ((IntVector) q1.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 2).and(3)
                                .or(((IntVector) hm.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 3).and(thirdBit)).sub(zero);
                        ((FloatVector) q.convert(VectorOperators.I2F, 0)).mul(dv).add(mv).intoArray(out, oi + p * L);
                    }
                }
                { // group 12 + h
                    FloatVector dv = FloatVector.broadcast(F, scales[12 + h]);
                    FloatVector mv = FloatVector.broadcast(F, scales[32 + 12 + h]);
                    int oi = ob + 192 + 16 * h;
                    for (int p = 0; p < PARTS16; p++) {
                        IntVector q = ((IntVector) q1.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 4).and(3)
                                .or(((IntVector) hm.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 4).and(thirdBit)).sub(zero);
                        ((FloatVector) q.convert(VectorOperators.I2F, 0)).mul(dv).add(mv).intoArray(out, oi + p * L);
                    }
                }
                { // group 14 + h
                    FloatVector dv = FloatVector.broadcast(F, scales[14 + h]);
                    FloatVector mv = FloatVector.broadcast(F, scales[32 + 14 + h]);
                    int oi = ob + 224 + 16 * h;
                    for (int p = 0; p < PARTS16; p++) {
                        IntVector q = ((IntVector) q1.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 6).and(3)
                                .or(((IntVector) hm.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p)).lanewise(VectorOperators.LSHR, 5).and(thirdBit)).sub(zero);
                        ((FloatVector) q.convert(VectorOperators.I2F, 0)).mul(dv).add(mv).intoArray(out, oi + p * L);
                    }
                }
            }
        }
    }

    @Override
    public void dotRows(MemorySegment data, int cols, int rowStart, int rowEnd,
                        float[] xs, int batch, float[] out, int outStride) {
        BatchedRowProduct.compute(this, data, cols, rowStart, rowEnd, xs, batch, out, outStride);
    }

    /**
     * The 16 groups' scales of the super-block at {@code block}, as the reference rounds them: {@code out[g]} the
     * scale, {@code out[16 + g]} the bias of the dot's FMA ({@code -min} for Q2_K, {@code -4 * scale} for
     * Q3_K), {@code out[32 + g]} what dequantize adds after multiplying ({@code -min}, or -0 which keeps every
     * value). Scalar code only, small enough to be inlined: a call that is not inlined spills or boxes the
     * live accumulators (measured 10x slower).
     */
    private void groupScales(MemorySegment data, long block, float[] out) {
        if (threeBits) {
            float d = Float.float16ToFloat(data.get(F16_SCALE, block + 108));
            long scales = block + 96;
            for (int g = 0; g < 16; g++) { // KQuantReference.q3Scale, inline
                int lowByte = Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, scales + (g & 7)));
                int low = g < 8 ? lowByte & 0xF : lowByte >>> 4;
                int high = (Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, scales + 8 + (g & 3))) >>> (2 * (g >> 2))) & 3;
                float dl = d * ((low | high << 4) - 32);
                out[g] = dl;
                out[16 + g] = -4 * dl;
                out[32 + g] = -0f;
            }
        } else {
            float d = Float.float16ToFloat(data.get(F16_SCALE, block + 80));
            float dmin = Float.float16ToFloat(data.get(F16_SCALE, block + 82));
            for (int g = 0; g < 16; g++) {
                int sc = Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, block + g));
                out[g] = d * (sc & 0xF);
                out[16 + g] = -(dmin * (sc >>> 4));
                out[32 + g] = -(dmin * (sc >>> 4));
            }
        }
    }
}
