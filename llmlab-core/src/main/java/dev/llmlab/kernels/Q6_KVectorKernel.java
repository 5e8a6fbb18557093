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
 * Q6_K layout: super-blocks of 256 values in 210 bytes, two halves of 128 values:
 * <pre>
 *   bytes 0..127    ql: half h uses ql[64h..64h+63]
 *   bytes 128..191  qh: half h uses qh[32h..32h+31]
 *   bytes 192..207  scales: int8, one per 16 values; half h uses scales[8h..8h+7]
 *   bytes 208..209  d, fp16
 *   for l in 0..31 of half h (ql, qh, sc relative to the half):
 *     value l      = d * sc[l/16]     * ((ql[l]      & 15 | (qh[l]      & 3) << 4) - 32)
 *     value l + 32 = d * sc[l/16 + 2] * ((ql[l + 32] & 15 | (qh[l] >> 2 & 3) << 4) - 32)
 *     value l + 64 = d * sc[l/16 + 4] * ((ql[l]      >> 4 | (qh[l] >> 4 & 3) << 4) - 32)
 *     value l + 96 = d * sc[l/16 + 6] * ((ql[l + 32] >> 4 | (qh[l] >> 6)     << 4) - 32)
 * </pre>
 * Three byte loads (ql[l..], ql[l+32..], qh[l..]) give four runs of consecutive values, each under a single
 * scale (16 values share one; a vector holds at most 16). In the dot product a weight is {@code (float) q * sc}
 * (exact: {@code |q * sc| < 2^13}; an int multiply cost 25% of the kernel), the offset of 32 is factored out
 * ({@link #dotWithSums}) and d is applied once per super-block: 0.72 -> 0.64 ms per 5632x2048 matVec on one
 * thread. The loads stay 16 bytes wide: assembling 32 bytes at a time and widening 256-bit byte vectors to
 * 512-bit ints measured faster in JMH, but C2 then left some vector calls un-intrinsified in about half of the
 * JVMs (docs/PERFORMANCE.md).
 */
final class Q6_KVectorKernel implements RowKernel {
    private static final int BLOCK = 256;
    private static final int BLOCK_BYTES = 210;
    private static final int STEP = B.length();
    private static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    @Override
    public float dot(MemorySegment data, long byteOffset, float[] x, int xOffset, int count) {
        return dotWithSums(data, byteOffset, x, xOffset, count, groupSums(x, xOffset, count), new float[16]);
    }

    @Override
    public void matVecRows(MemorySegment data, int cols, int rowStart, int rowEnd,
                           float[] x, int xOffset, float[] out, int outOffset) {
        float[] sums = groupSums(x, xOffset, cols);
        float[] scales = new float[16];
        long rowBytes = GgmlType.Q6_K.bytesFor(cols);
        for (int r = rowStart; r < rowEnd; r++) {
            out[outOffset + r] = dotWithSums(data, r * rowBytes, x, xOffset, cols, sums, scales);
        }
    }

    /** The sum of x over each 16-value group (one scale each), 16 per super-block in scale order. */
    static float[] groupSums(float[] x, int xOffset, int count) {
        float[] sums = new float[count / 16];
        for (int g = 0; g < sums.length; g++) {
            float s = 0;
            for (int i = 0; i < 16; i++) {
                s += x[xOffset + 16 * g + i];
            }
            sums[g] = s;
        }
        return sums;
    }

    /**
     * The row's dot product with the offset of 32 factored out: {@code sum sc*(q-32)*x} is
     * {@code sum sc*q*x - 32 * sum_j sc_j * X_j}, where {@code X_j} is the sum of x over the j-th group of 16
     * ({@link #groupSums}, shared by all rows of a matVec); the second term is one 16-lane FMA per super-block.
     * Each scale is broadcast from {@code scales}, a scratch copy of the block's 16 scales as floats (a broadcast
     * from memory is a load, not a shuffle).
     */
    float dotWithSums(MemorySegment data, long byteOffset, float[] x, int xOffset, int count, float[] sums,
                      float[] scales) {
        // Block body inline (no vector helper methods): a vector crossing a call C2 did not inline is boxed.
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        FloatVector offsetAcc = FloatVector.zero(KQuantScales.FLOATS);
        for (int b = 0; b < count / BLOCK; b++) {
            long block = byteOffset + (long) BLOCK_BYTES * b;
            float dScalar = Float.float16ToFloat(data.get(F16_SCALE, block + 208));
            FloatVector d = FloatVector.broadcast(F, dScalar);
            IntVector sc16 = (IntVector) ByteVector.fromMemorySegment(KQuantScales.BYTES, data, block + 192, LE)
                    .convertShape(VectorOperators.B2I, KQuantScales.INTS, 0);
            FloatVector scF = (FloatVector) sc16.convert(VectorOperators.I2F, 0);
            scF.intoArray(scales, 0);
            offsetAcc = scF.mul(-32 * dScalar)
                    .fma(FloatVector.fromArray(KQuantScales.FLOATS, sums, 16 * b), offsetAcc);
            FloatVector sum0 = FloatVector.zero(F);
            FloatVector sum1 = FloatVector.zero(F);
            FloatVector sum2 = FloatVector.zero(F);
            FloatVector sum3 = FloatVector.zero(F);
            for (int h = 0; h < 2; h++) {
                long ql = block + 64L * h;
                long qh = block + 128 + 32L * h;
                int xh = xOffset + BLOCK * b + 128 * h;
                for (int l = 0; l < 32; l += STEP) {
                    ByteVector la = ByteVector.fromMemorySegment(B, data, ql + l, LE);
                    ByteVector lb = ByteVector.fromMemorySegment(B, data, ql + 32 + l, LE);
                    ByteVector hh = ByteVector.fromMemorySegment(B, data, qh + l, LE);
                    for (int p = 0; p < PARTS; p++) {
                        int lane = l + p * L;
                        int is = 8 * h + lane / 16;
                        IntVector a = (IntVector) la.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector e = (IntVector) lb.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector t = (IntVector) hh.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector q1 = a.and(0x0F).or(t.lanewise(VectorOperators.LSHL, 4).and(0x30));
                        IntVector q2 = e.and(0x0F).or(t.lanewise(VectorOperators.LSHL, 2).and(0x30));
                        IntVector q3 = a.lanewise(VectorOperators.LSHR, 4).or(t.and(0x30));
                        IntVector q4 = e.lanewise(VectorOperators.LSHR, 4).or(t.lanewise(VectorOperators.LSHR, 2).and(0x30));
                        int xi = xh + lane;
                        sum0 = ((FloatVector) q1.convert(VectorOperators.I2F, 0)).mul(FloatVector.broadcast(F, scales[is]))
                                .fma(FloatVector.fromArray(F, x, xi), sum0);
                        sum1 = ((FloatVector) q2.convert(VectorOperators.I2F, 0)).mul(FloatVector.broadcast(F, scales[is + 2]))
                                .fma(FloatVector.fromArray(F, x, xi + 32), sum1);
                        sum2 = ((FloatVector) q3.convert(VectorOperators.I2F, 0)).mul(FloatVector.broadcast(F, scales[is + 4]))
                                .fma(FloatVector.fromArray(F, x, xi + 64), sum2);
                        sum3 = ((FloatVector) q4.convert(VectorOperators.I2F, 0)).mul(FloatVector.broadcast(F, scales[is + 6]))
                                .fma(FloatVector.fromArray(F, x, xi + 96), sum3);
                    }
                }
            }
            acc0 = sum0.fma(d, acc0);
            acc1 = sum1.fma(d, acc1);
            acc2 = sum2.fma(d, acc2);
            acc3 = sum3.fma(d, acc3);
        }
        return acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD)
                + offsetAcc.reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void dequantize(MemorySegment data, long byteOffset, float[] out, int outOffset, int count) {
        for (int b = 0; b < count / BLOCK; b++) {
            long block = byteOffset + (long) BLOCK_BYTES * b;
            float d = Float.float16ToFloat(data.get(F16_SCALE, block + 208));
            for (int h = 0; h < 2; h++) {
                long ql = block + 64L * h;
                long qh = block + 128 + 32L * h;
                long sc = block + 192 + 8L * h;
                int oh = outOffset + BLOCK * b + 128 * h;
                for (int l = 0; l < 32; l += STEP) {
                    ByteVector la = ByteVector.fromMemorySegment(B, data, ql + l, LE);
                    ByteVector lb = ByteVector.fromMemorySegment(B, data, ql + 32 + l, LE);
                    ByteVector hh = ByteVector.fromMemorySegment(B, data, qh + l, LE);
                    for (int p = 0; p < PARTS; p++) {
                        int lane = l + p * L;
                        int is = lane / 16;
                        float s1 = d * data.get(I8, sc + is);
                        float s2 = d * data.get(I8, sc + is + 2);
                        float s3 = d * data.get(I8, sc + is + 4);
                        float s4 = d * data.get(I8, sc + is + 6);
                        IntVector a = (IntVector) la.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector e = (IntVector) lb.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector t = (IntVector) hh.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector q1 = a.and(0x0F).or(t.lanewise(VectorOperators.LSHL, 4).and(0x30));
                        IntVector q2 = e.and(0x0F).or(t.lanewise(VectorOperators.LSHL, 2).and(0x30));
                        IntVector q3 = a.lanewise(VectorOperators.LSHR, 4).or(t.and(0x30));
                        IntVector q4 = e.lanewise(VectorOperators.LSHR, 4).or(t.lanewise(VectorOperators.LSHR, 2).and(0x30));
                        int oi = oh + lane;
                        // (q - 32) * s as the reference: the dot's FMA form would give +0 where it gives -0
                        ((FloatVector) q1.sub(32).convert(VectorOperators.I2F, 0)).mul(s1).intoArray(out, oi);
                        ((FloatVector) q2.sub(32).convert(VectorOperators.I2F, 0)).mul(s2).intoArray(out, oi + 32);
                        ((FloatVector) q3.sub(32).convert(VectorOperators.I2F, 0)).mul(s3).intoArray(out, oi + 64);
                        ((FloatVector) q4.sub(32).convert(VectorOperators.I2F, 0)).mul(s4).intoArray(out, oi + 96);
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
