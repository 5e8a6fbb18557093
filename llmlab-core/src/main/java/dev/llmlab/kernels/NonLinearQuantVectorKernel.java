package dev.llmlab.kernels;

import dev.llmlab.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static dev.llmlab.kernels.VectorKernels.F;
import static dev.llmlab.kernels.VectorKernels.F16_SCALE;
import static dev.llmlab.kernels.VectorKernels.L;

/**
 * IQ4_NL and IQ4_XS: groups of 32 values whose nibbles index a table of 16 levels (layouts in
 * {@link NonLinearQuantReference}):
 * <pre>
 *   IQ4_NL  one group per 18-byte block:   d (f16), qs[16];               value = d * LEVELS[nibble]
 *   IQ4_XS  8 groups per 136-byte block:   d, scales_h, scales_l[4], qs[8][16];
 *                                          value = (d * (6-bit scale - 32)) * LEVELS[nibble]
 * </pre>
 * A group's 16 bytes are loaded as one 128-bit byte vector; the table lookup is a byte shuffle of the 16
 * levels by the nibbles ({@code selectFrom}, one instruction with SSSE3/NEON), and the int8 levels widen to
 * floats. The two formats differ only in where a group sits and how its scale is found (a final field).
 */
final class NonLinearQuantVectorKernel implements RowKernel {
    private static final int GROUP = 32;
    private static final VectorSpecies<Byte> BYTES16 = ByteVector.SPECIES_128;
    private static final ByteVector LEVELS = ByteVector.fromArray(BYTES16, NonLinearQuantReference.LEVELS, 0);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Float vectors per 16 levels. */
    private static final int PARTS16 = 16 / L;

    private final GgmlType type;
    private final boolean superBlocks;

    NonLinearQuantVectorKernel(GgmlType type) {
        if (type != GgmlType.IQ4_NL && type != GgmlType.IQ4_XS) {
            throw new IllegalArgumentException("not IQ4_NL or IQ4_XS: " + type);
        }
        this.type = type;
        this.superBlocks = type == GgmlType.IQ4_XS;
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
        for (int g = 0; g < count / GROUP; g++) {
            long qsAt = quantsOffset(byteOffset, g);
            int xi = xOffset + GROUP * g;
            ByteVector qs = ByteVector.fromMemorySegment(BYTES16, data, qsAt, LE);
            ByteVector low = qs.and((byte) 0x0F).selectFrom(LEVELS);
            ByteVector high = qs.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F).selectFrom(LEVELS);
            FloatVector sum = FloatVector.zero(F);
            for (int p = 0; p < PARTS16; p++) {
                sum = ((FloatVector) low.convertShape(VectorOperators.B2F, F, p))
                        .fma(FloatVector.fromArray(F, x, xi + p * L), sum);
                sum = ((FloatVector) high.convertShape(VectorOperators.B2F, F, p))
                        .fma(FloatVector.fromArray(F, x, xi + 16 + p * L), sum);
            }
            // two accumulators taking turns halve the dependency chain through the scaling FMA
            FloatVector next = sum.fma(FloatVector.broadcast(F, groupScale(data, byteOffset, g)), acc0);
            acc0 = acc1;
            acc1 = next;
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void dequantize(MemorySegment data, long byteOffset, float[] out, int outOffset, int count) {
        for (int g = 0; g < count / GROUP; g++) {
            long qsAt = quantsOffset(byteOffset, g);
            int oi = outOffset + GROUP * g;
            FloatVector scale = FloatVector.broadcast(F, groupScale(data, byteOffset, g));
            ByteVector qs = ByteVector.fromMemorySegment(BYTES16, data, qsAt, LE);
            ByteVector low = qs.and((byte) 0x0F).selectFrom(LEVELS);
            ByteVector high = qs.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F).selectFrom(LEVELS);
            for (int p = 0; p < PARTS16; p++) {
                ((FloatVector) low.convertShape(VectorOperators.B2F, F, p)).mul(scale).intoArray(out, oi + p * L);
                ((FloatVector) high.convertShape(VectorOperators.B2F, F, p)).mul(scale).intoArray(out, oi + 16 + p * L);
            }
        }
    }

    @Override
    public void dotRows(MemorySegment data, int cols, int rowStart, int rowEnd,
                        float[] xs, int batch, float[] out, int outStride) {
        BatchedRowProduct.compute(this, data, cols, rowStart, rowEnd, xs, batch, out, outStride);
    }

    /** Where group {@code g}'s 16 quant bytes start. */
    private long quantsOffset(long byteOffset, int g) {
        return superBlocks
                ? byteOffset + (long) GgmlType.IQ4_XS.blockBytes() * (g >> 3) + 8 + 16L * (g & 7)
                : byteOffset + (long) GgmlType.IQ4_NL.blockBytes() * g + 2;
    }

    /**
     * Group {@code g}'s scale: d, or d * (6-bit scale - 32) as the reference rounds it. Scalar and small, so
     * that C2 inlines it: a call left in the loop spills or boxes the live vector accumulators.
     */
    private float groupScale(MemorySegment data, long byteOffset, int g) {
        long block = superBlocks
                ? byteOffset + (long) GgmlType.IQ4_XS.blockBytes() * (g >> 3)
                : byteOffset + (long) GgmlType.IQ4_NL.blockBytes() * g;
        float d = Float.float16ToFloat(data.get(F16_SCALE, block));
        if (!superBlocks) {
            return d;
        }
        int ib = g & 7;
        int high = data.get(F16_SCALE, block + 2) >>> (2 * ib);
        int low = data.get(ValueLayout.JAVA_BYTE, block + 4 + (ib >> 1)) >>> (4 * (ib & 1));
        return d * (((low & 0xF) | ((high & 3) << 4)) - 32);
    }
}
