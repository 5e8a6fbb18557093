package dev.llmlab.kernels;

import dev.llmlab.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
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
 * One loop over groups: a group's 16 quant bytes are one 128-bit load; a weight is one FMA
 * ({@code q * dl + bias}), then one FMA into the sum. The formats differ in the scale and the third bit,
 * chosen by a final field.
 */
final class LowBitKQuantVectorKernel implements RowKernel {
    private static final int GROUP = 16;
    private static final VectorSpecies<Byte> BYTES16 = ByteVector.SPECIES_128;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Int vectors per 16 quants. */
    private static final int PARTS16 = GROUP / L;

    private final GgmlType type;
    private final boolean threeBits;
    private final int blockBytes;
    /** Offset of qs in a block. */
    private final int quants;

    LowBitKQuantVectorKernel(GgmlType type) {
        if (type != GgmlType.Q2_K && type != GgmlType.Q3_K) {
            throw new IllegalArgumentException("not Q2_K or Q3_K: " + type);
        }
        this.type = type;
        this.threeBits = type == GgmlType.Q3_K;
        this.blockBytes = type.blockBytes();
        this.quants = threeBits ? 32 : 16;
    }

    @Override
    public GgmlType type() {
        return type;
    }

    @Override
    public float dot(MemorySegment data, long byteOffset, float[] x, int xOffset, int count) {
        // Group body inline (no vector helper methods): a vector crossing a call C2 did not inline is boxed.
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int gg = 0; gg < count / GROUP; gg++) {
            long block = byteOffset + (long) blockBytes * (gg >> 4);
            int g = gg & 15;
            int n = g >> 3;
            int s = (g >> 1) & 3;
            int h = g & 1;
            float dl = groupScale(data, block, g);
            float bias = threeBits ? -4 * dl : -groupMin(data, block, g);
            FloatVector dv = FloatVector.broadcast(F, dl);
            FloatVector bv = FloatVector.broadcast(F, bias);
            ByteVector q8 = ByteVector.fromMemorySegment(BYTES16, data, block + quants + 32 * n + 16 * h, LE);
            ByteVector h8 = threeBits ? ByteVector.fromMemorySegment(BYTES16, data, block + 16 * h, LE) : q8;
            int xi = xOffset + 256 * (gg >> 4) + 128 * n + 32 * s + 16 * h;
            for (int p = 0; p < PARTS16; p++) {
                IntVector q = ((IntVector) q8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p))
                        .lanewise(VectorOperators.LSHR, 2 * s).and(3);
                if (threeBits) {
                    IntVector hm = (IntVector) h8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                    q = q.or(hm.lanewise(VectorOperators.LSHR, 4 * n + s).and(1).lanewise(VectorOperators.LSHL, 2));
                }
                FloatVector w = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(dv, bv);
                if ((p & 1) == 0) {
                    acc0 = w.fma(FloatVector.fromArray(F, x, xi + p * L), acc0);
                } else {
                    acc1 = w.fma(FloatVector.fromArray(F, x, xi + p * L), acc1);
                }
            }
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void dequantize(MemorySegment data, long byteOffset, float[] out, int outOffset, int count) {
        for (int gg = 0; gg < count / GROUP; gg++) {
            long block = byteOffset + (long) blockBytes * (gg >> 4);
            int g = gg & 15;
            int n = g >> 3;
            int s = (g >> 1) & 3;
            int h = g & 1;
            FloatVector dv = FloatVector.broadcast(F, groupScale(data, block, g));
            FloatVector mv = FloatVector.broadcast(F, threeBits ? 0f : groupMin(data, block, g));
            ByteVector q8 = ByteVector.fromMemorySegment(BYTES16, data, block + quants + 32 * n + 16 * h, LE);
            ByteVector h8 = threeBits ? ByteVector.fromMemorySegment(BYTES16, data, block + 16 * h, LE) : q8;
            int oi = outOffset + 256 * (gg >> 4) + 128 * n + 32 * s + 16 * h;
            for (int p = 0; p < PARTS16; p++) {
                IntVector q = ((IntVector) q8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p))
                        .lanewise(VectorOperators.LSHR, 2 * s).and(3);
                // the reference's arithmetic: dl * q - ml (two roundings), or dl * (q - 4) for Q3_K
                if (threeBits) {
                    IntVector hm = (IntVector) h8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                    q = q.or(hm.lanewise(VectorOperators.LSHR, 4 * n + s).and(1).lanewise(VectorOperators.LSHL, 2)).sub(4);
                }
                ((FloatVector) q.convert(VectorOperators.I2F, 0)).mul(dv).sub(mv).intoArray(out, oi + p * L);
            }
        }
    }

    @Override
    public void dotRows(MemorySegment data, int cols, int rowStart, int rowEnd,
                        float[] xs, int batch, float[] out, int outStride) {
        BatchedRowProduct.compute(this, data, cols, rowStart, rowEnd, xs, batch, out, outStride);
    }

    /** Group {@code g}'s scale as the reference rounds it. */
    private float groupScale(MemorySegment data, long block, int g) {
        if (threeBits) {
            return Float.float16ToFloat(data.get(F16_SCALE, block + 108)) * (KQuantReference.q3Scale(data, block + 96, g) - 32);
        }
        return Float.float16ToFloat(data.get(F16_SCALE, block + 80)) * (LegacyQuantReference.u8(data, block + g) & 0xF);
    }

    /** Q2_K group {@code g}'s min {@code dmin * (scales[g] >> 4)}. */
    private static float groupMin(MemorySegment data, long block, int g) {
        return Float.float16ToFloat(data.get(F16_SCALE, block + 82)) * (LegacyQuantReference.u8(data, block + g) >>> 4);
    }
}
