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
 * Q4_K layout: super-blocks of 256 values in 144 bytes:
 * <pre>
 *   bytes 0..1     d, fp16 super-scale;  bytes 2..3  dmin, fp16 super-min
 *   bytes 4..15    8 six-bit scales and 8 six-bit mins, packed ({@link KQuantScales})
 *   bytes 16..143  qs: 4 chunks of 32 bytes; chunk c holds values 64c..64c+31 in the low nibbles
 *                  (sub-block 2c) and 64c+32..64c+63 in the high nibbles (sub-block 2c + 1)
 *   value          = (d * scale[s]) * nibble - dmin * min[s]
 * </pre>
 * Per super-block, the 16 six-bit scales and mins are unpacked by a few vector operations into one 16-lane
 * float vector ({@link KQuantScales#scaleVector}); scalar unpacking cost more than all the vector work of
 * the block (measured: 0.96 ms vs 0.55 ms for a 5632x2048 matVec on one thread). The min terms are factored
 * out ({@link #dotWithSums}): per weight, one nibble conversion and one FMA into the sub-block's sum, which
 * its scale then multiplies once. The scale vector is stored to a scratch array and each scale broadcast
 * from it: a broadcast from memory is a load, where a lane extraction plus broadcast is two or three
 * shuffles, and shuffles were the bottleneck (0.48 -> 0.45 ms per 5632x2048 matVec, one thread). The four
 * chunks are written out (no chunk loop: C2 compiled the nested loop 2x slower).
 */
final class Q4_KVectorKernel implements RowKernel {
    private static final int BLOCK = 256;
    private static final int BLOCK_BYTES = 144;
    private static final int STEP = B.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
    }

    @Override
    public float dot(MemorySegment data, long byteOffset, float[] x, int xOffset, int count) {
        return dotWithSums(data, byteOffset, x, xOffset, count, subBlockSums(x, xOffset, count), new float[16]);
    }

    @Override
    public void matVecRows(MemorySegment data, int cols, int rowStart, int rowEnd,
                           float[] x, int xOffset, float[] out, int outOffset) {
        float[] sums = subBlockSums(x, xOffset, cols);
        float[] scales = new float[16];
        long rowBytes = GgmlType.Q4_K.bytesFor(cols);
        for (int r = rowStart; r < rowEnd; r++) {
            out[outOffset + r] = dotWithSums(data, r * rowBytes, x, xOffset, cols, sums, scales);
        }
    }

    /**
     * The sum of x over each 32-value sub-block, laid out 16 floats per super-block with the 8 sums in lanes
     * 8..15, where the scale vector holds the negated mins: one FMA per super-block adds every min term.
     */
    static float[] subBlockSums(float[] x, int xOffset, int count) {
        float[] sums = new float[count / BLOCK * 16];
        for (int s = 0; s < count / 32; s++) {
            FloatVector acc = FloatVector.zero(F);
            for (int i = 0; i < 32; i += L) {
                acc = acc.add(FloatVector.fromArray(F, x, xOffset + 32 * s + i));
            }
            sums[(s / 8) * 16 + 8 + s % 8] = acc.reduceLanes(VectorOperators.ADD);
        }
        return sums;
    }

    /**
     * {@link #dot} with the min terms factored out: a sub-block contributes
     * {@code d*scale * sum(q*x) - dmin*min * sum(x)}, where {@code sum(x)} comes from {@link #subBlockSums}
     * (shared by all rows of a matVec). One conversion and one FMA per weight instead of two FMAs.
     */
    float dotWithSums(MemorySegment data, long byteOffset, float[] x, int xOffset, int count, float[] sums,
                      float[] scales) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        FloatVector minAcc = FloatVector.zero(KQuantScales.FLOATS);
        for (int b = 0; b < count / BLOCK; b++) {
            long block = byteOffset + (long) BLOCK_BYTES * b;
            int xb = xOffset + BLOCK * b;
            float d = Float.float16ToFloat(data.get(F16_SCALE, block));
            float dmin = Float.float16ToFloat(data.get(F16_SCALE, block + 2));
            IntVector packed = (IntVector) ByteVector.fromMemorySegment(KQuantScales.BYTES, data, block + 4, LE)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, KQuantScales.INTS, 0);
            FloatVector sv = ((FloatVector) packed.rearrange(KQuantScales.LOW_SOURCE)
                    .lanewise(VectorOperators.LSHR, KQuantScales.LOW_SHIFT).and(KQuantScales.LOW_MASK)
                    .or(packed.rearrange(KQuantScales.HIGH_SOURCE).lanewise(VectorOperators.LSHR, 2)
                            .and(KQuantScales.HIGH_MASK))
                    .convert(VectorOperators.I2F, 0))
                    .mul(FloatVector.broadcast(KQuantScales.FLOATS, d).blend(-dmin, KQuantScales.MIN_LANES));
            sv.intoArray(scales, 0);
            minAcc = sv.fma(FloatVector.fromArray(KQuantScales.FLOATS, sums, 16 * b), minAcc);
            { // chunk 0: sub-blocks 0 (low nibbles), 1 (high nibbles)
                FloatVector low = FloatVector.zero(F);
                FloatVector high = FloatVector.zero(F);
                long qs = block + 16;
                int xi = xb + 0;
                for (int j = 0; j < 32; j += STEP) {
                    ByteVector q8 = ByteVector.fromMemorySegment(B, data, qs + j, LE);
                    for (int p = 0; p < PARTS; p++) {
                        IntVector q = (IntVector) q8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        int xa = xi + j + p * L;
                        low = ((FloatVector) q.and(0x0F).convert(VectorOperators.I2F, 0))
                                .fma(FloatVector.fromArray(F, x, xa), low);
                        high = ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                                .fma(FloatVector.fromArray(F, x, xa + 32), high);
                    }
                }
                acc0 = low.fma(FloatVector.broadcast(F, scales[0]), acc0);
                acc1 = high.fma(FloatVector.broadcast(F, scales[1]), acc1);
            }
            { // chunk 1: sub-blocks 2 (low nibbles), 3 (high nibbles)
                FloatVector low = FloatVector.zero(F);
                FloatVector high = FloatVector.zero(F);
                long qs = block + 48;
                int xi = xb + 64;
                for (int j = 0; j < 32; j += STEP) {
                    ByteVector q8 = ByteVector.fromMemorySegment(B, data, qs + j, LE);
                    for (int p = 0; p < PARTS; p++) {
                        IntVector q = (IntVector) q8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        int xa = xi + j + p * L;
                        low = ((FloatVector) q.and(0x0F).convert(VectorOperators.I2F, 0))
                                .fma(FloatVector.fromArray(F, x, xa), low);
                        high = ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                                .fma(FloatVector.fromArray(F, x, xa + 32), high);
                    }
                }
                acc2 = low.fma(FloatVector.broadcast(F, scales[2]), acc2);
                acc3 = high.fma(FloatVector.broadcast(F, scales[3]), acc3);
            }
            { // chunk 2: sub-blocks 4 (low nibbles), 5 (high nibbles)
                FloatVector low = FloatVector.zero(F);
                FloatVector high = FloatVector.zero(F);
                long qs = block + 80;
                int xi = xb + 128;
                for (int j = 0; j < 32; j += STEP) {
                    ByteVector q8 = ByteVector.fromMemorySegment(B, data, qs + j, LE);
                    for (int p = 0; p < PARTS; p++) {
                        IntVector q = (IntVector) q8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        int xa = xi + j + p * L;
                        low = ((FloatVector) q.and(0x0F).convert(VectorOperators.I2F, 0))
                                .fma(FloatVector.fromArray(F, x, xa), low);
                        high = ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                                .fma(FloatVector.fromArray(F, x, xa + 32), high);
                    }
                }
                acc0 = low.fma(FloatVector.broadcast(F, scales[4]), acc0);
                acc1 = high.fma(FloatVector.broadcast(F, scales[5]), acc1);
            }
            { // chunk 3: sub-blocks 6 (low nibbles), 7 (high nibbles)
                FloatVector low = FloatVector.zero(F);
                FloatVector high = FloatVector.zero(F);
                long qs = block + 112;
                int xi = xb + 192;
                for (int j = 0; j < 32; j += STEP) {
                    ByteVector q8 = ByteVector.fromMemorySegment(B, data, qs + j, LE);
                    for (int p = 0; p < PARTS; p++) {
                        IntVector q = (IntVector) q8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        int xa = xi + j + p * L;
                        low = ((FloatVector) q.and(0x0F).convert(VectorOperators.I2F, 0))
                                .fma(FloatVector.fromArray(F, x, xa), low);
                        high = ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                                .fma(FloatVector.fromArray(F, x, xa + 32), high);
                    }
                }
                acc2 = low.fma(FloatVector.broadcast(F, scales[6]), acc2);
                acc3 = high.fma(FloatVector.broadcast(F, scales[7]), acc3);
            }
        }
        return acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD)
                + minAcc.reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void dequantize(MemorySegment data, long byteOffset, float[] out, int outOffset, int count) {
        for (int b = 0; b < count / BLOCK; b++) {
            long block = byteOffset + (long) BLOCK_BYTES * b;
            int ob = outOffset + BLOCK * b;
            float d = Float.float16ToFloat(data.get(F16_SCALE, block));
            float dmin = Float.float16ToFloat(data.get(F16_SCALE, block + 2));
            // the scale vector (KQuantScales), unpacked inline: a helper returning a vector is boxed whenever C2
            // does not inline it, and whether it does varied from run to run (measured 0.63 vs 1.26 ms)
            IntVector packed = (IntVector) ByteVector.fromMemorySegment(KQuantScales.BYTES, data, block + 4, LE)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, KQuantScales.INTS, 0);
            FloatVector sv = ((FloatVector) packed.rearrange(KQuantScales.LOW_SOURCE)
                    .lanewise(VectorOperators.LSHR, KQuantScales.LOW_SHIFT).and(KQuantScales.LOW_MASK)
                    .or(packed.rearrange(KQuantScales.HIGH_SOURCE).lanewise(VectorOperators.LSHR, 2)
                            .and(KQuantScales.HIGH_MASK))
                    .convert(VectorOperators.I2F, 0))
                    .mul(FloatVector.broadcast(KQuantScales.FLOATS, d).blend(-dmin, KQuantScales.MIN_LANES));
            { // chunk 0
                FloatVector d1 = FloatVector.broadcast(F, sv.lane(0));
                FloatVector m1 = FloatVector.broadcast(F, sv.lane(8));
                FloatVector d2 = FloatVector.broadcast(F, sv.lane(1));
                FloatVector m2 = FloatVector.broadcast(F, sv.lane(9));
                long qs = block + 16;
                int oi = ob + 0;
                for (int j = 0; j < 32; j += STEP) {
                    ByteVector q8 = ByteVector.fromMemorySegment(B, data, qs + j, LE);
                    for (int p = 0; p < PARTS; p++) {
                        IntVector q = (IntVector) q8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        // multiply, then add the negated min: the reference's two roundings
                        ((FloatVector) q.and(0x0F).convert(VectorOperators.I2F, 0)).mul(d1).add(m1)
                                .intoArray(out, oi + j + p * L);
                        ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).mul(d2)
                                .add(m2).intoArray(out, oi + 32 + j + p * L);
                    }
                }
            }
            { // chunk 1
                FloatVector d1 = FloatVector.broadcast(F, sv.lane(2));
                FloatVector m1 = FloatVector.broadcast(F, sv.lane(10));
                FloatVector d2 = FloatVector.broadcast(F, sv.lane(3));
                FloatVector m2 = FloatVector.broadcast(F, sv.lane(11));
                long qs = block + 48;
                int oi = ob + 64;
                for (int j = 0; j < 32; j += STEP) {
                    ByteVector q8 = ByteVector.fromMemorySegment(B, data, qs + j, LE);
                    for (int p = 0; p < PARTS; p++) {
                        IntVector q = (IntVector) q8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        // multiply, then add the negated min: the reference's two roundings
                        ((FloatVector) q.and(0x0F).convert(VectorOperators.I2F, 0)).mul(d1).add(m1)
                                .intoArray(out, oi + j + p * L);
                        ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).mul(d2)
                                .add(m2).intoArray(out, oi + 32 + j + p * L);
                    }
                }
            }
            { // chunk 2
                FloatVector d1 = FloatVector.broadcast(F, sv.lane(4));
                FloatVector m1 = FloatVector.broadcast(F, sv.lane(12));
                FloatVector d2 = FloatVector.broadcast(F, sv.lane(5));
                FloatVector m2 = FloatVector.broadcast(F, sv.lane(13));
                long qs = block + 80;
                int oi = ob + 128;
                for (int j = 0; j < 32; j += STEP) {
                    ByteVector q8 = ByteVector.fromMemorySegment(B, data, qs + j, LE);
                    for (int p = 0; p < PARTS; p++) {
                        IntVector q = (IntVector) q8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        // multiply, then add the negated min: the reference's two roundings
                        ((FloatVector) q.and(0x0F).convert(VectorOperators.I2F, 0)).mul(d1).add(m1)
                                .intoArray(out, oi + j + p * L);
                        ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).mul(d2)
                                .add(m2).intoArray(out, oi + 32 + j + p * L);
                    }
                }
            }
            { // chunk 3
                FloatVector d1 = FloatVector.broadcast(F, sv.lane(6));
                FloatVector m1 = FloatVector.broadcast(F, sv.lane(14));
                FloatVector d2 = FloatVector.broadcast(F, sv.lane(7));
                FloatVector m2 = FloatVector.broadcast(F, sv.lane(15));
                long qs = block + 112;
                int oi = ob + 192;
                for (int j = 0; j < 32; j += STEP) {
                    ByteVector q8 = ByteVector.fromMemorySegment(B, data, qs + j, LE);
                    for (int p = 0; p < PARTS; p++) {
                        IntVector q = (IntVector) q8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        // multiply, then add the negated min: the reference's two roundings
                        ((FloatVector) q.and(0x0F).convert(VectorOperators.I2F, 0)).mul(d1).add(m1)
                                .intoArray(out, oi + j + p * L);
                        ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).mul(d2)
                                .add(m2).intoArray(out, oi + 32 + j + p * L);
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
}
