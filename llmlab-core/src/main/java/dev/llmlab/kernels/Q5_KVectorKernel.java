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
 * Q5_K layout: super-blocks of 256 values in 176 bytes:
 * <pre>
 *   bytes 0..1     d, fp16 super-scale;  bytes 2..3  dmin, fp16 super-min
 *   bytes 4..15    8 six-bit scales and 8 six-bit mins, packed as in Q4_K ({@link KQuantScales})
 *   bytes 16..47   qh[32]: bit 2c of qh[l] is the fifth bit of value 64c + l, bit 2c + 1 that of 64c + 32 + l
 *   bytes 48..175  qs: 4 chunks of 32 bytes, low/high nibbles as in Q4_K
 *   value          = (d * scale[s]) * (nibble | fifth bit << 4) - dmin * min[s]
 * </pre>
 * Written like {@link Q4_KVectorKernel} (vector-unpacked scales, the four chunks written out, one FMA per
 * weight to decode and one to accumulate); the fifth bits come from a byte load of qh shifted by a constant
 * per chunk.
 */
final class Q5_KVectorKernel implements RowKernel {
    private static final int BLOCK = 256;
    private static final int BLOCK_BYTES = 176;
    private static final int STEP = B.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override
    public GgmlType type() {
        return GgmlType.Q5_K;
    }

    @Override
    public float dot(MemorySegment data, long byteOffset, float[] x, int xOffset, int count) {
        // Block body inline (no vector helper methods): a vector crossing a call C2 did not inline is boxed.
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int b = 0; b < count / BLOCK; b++) {
            long block = byteOffset + (long) BLOCK_BYTES * b;
            int xb = xOffset + BLOCK * b;
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
            { // chunk 0: sub-blocks 0 (low nibbles, qh bit 0), 1 (high nibbles, qh bit 1)
                FloatVector d1 = FloatVector.broadcast(F, sv.lane(0));
                FloatVector m1 = FloatVector.broadcast(F, sv.lane(8));
                FloatVector d2 = FloatVector.broadcast(F, sv.lane(1));
                FloatVector m2 = FloatVector.broadcast(F, sv.lane(9));
                long qs = block + 48;
                int xi = xb + 0;
                for (int j = 0; j < 32; j += STEP) {
                    ByteVector q8 = ByteVector.fromMemorySegment(B, data, qs + j, LE);
                    ByteVector h8 = ByteVector.fromMemorySegment(B, data, block + 16 + j, LE);
                    for (int p = 0; p < PARTS; p++) {
                        IntVector q = (IntVector) q8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector h = (IntVector) h8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        int xa = xi + j + p * L;
                        FloatVector w0 = ((FloatVector) q.and(0x0F).or(h.lanewise(VectorOperators.LSHL, 4).and(0x10))
                                .convert(VectorOperators.I2F, 0)).fma(d1, m1);
                        FloatVector w1 = ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHL, 3).and(0x10))
                                .convert(VectorOperators.I2F, 0)).fma(d2, m2);
                        acc0 = w0.fma(FloatVector.fromArray(F, x, xa), acc0);
                        acc1 = w1.fma(FloatVector.fromArray(F, x, xa + 32), acc1);
                    }
                }
            }
            { // chunk 1: sub-blocks 2 (low nibbles, qh bit 2), 3 (high nibbles, qh bit 3)
                FloatVector d1 = FloatVector.broadcast(F, sv.lane(2));
                FloatVector m1 = FloatVector.broadcast(F, sv.lane(10));
                FloatVector d2 = FloatVector.broadcast(F, sv.lane(3));
                FloatVector m2 = FloatVector.broadcast(F, sv.lane(11));
                long qs = block + 80;
                int xi = xb + 64;
                for (int j = 0; j < 32; j += STEP) {
                    ByteVector q8 = ByteVector.fromMemorySegment(B, data, qs + j, LE);
                    ByteVector h8 = ByteVector.fromMemorySegment(B, data, block + 16 + j, LE);
                    for (int p = 0; p < PARTS; p++) {
                        IntVector q = (IntVector) q8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector h = (IntVector) h8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        int xa = xi + j + p * L;
                        FloatVector w0 = ((FloatVector) q.and(0x0F).or(h.lanewise(VectorOperators.LSHL, 2).and(0x10))
                                .convert(VectorOperators.I2F, 0)).fma(d1, m1);
                        FloatVector w1 = ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHL, 1).and(0x10))
                                .convert(VectorOperators.I2F, 0)).fma(d2, m2);
                        acc0 = w0.fma(FloatVector.fromArray(F, x, xa), acc0);
                        acc1 = w1.fma(FloatVector.fromArray(F, x, xa + 32), acc1);
                    }
                }
            }
            { // chunk 2: sub-blocks 4 (low nibbles, qh bit 4), 5 (high nibbles, qh bit 5)
                FloatVector d1 = FloatVector.broadcast(F, sv.lane(4));
                FloatVector m1 = FloatVector.broadcast(F, sv.lane(12));
                FloatVector d2 = FloatVector.broadcast(F, sv.lane(5));
                FloatVector m2 = FloatVector.broadcast(F, sv.lane(13));
                long qs = block + 112;
                int xi = xb + 128;
                for (int j = 0; j < 32; j += STEP) {
                    ByteVector q8 = ByteVector.fromMemorySegment(B, data, qs + j, LE);
                    ByteVector h8 = ByteVector.fromMemorySegment(B, data, block + 16 + j, LE);
                    for (int p = 0; p < PARTS; p++) {
                        IntVector q = (IntVector) q8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector h = (IntVector) h8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        int xa = xi + j + p * L;
                        FloatVector w0 = ((FloatVector) q.and(0x0F).or(h.and(0x10))
                                .convert(VectorOperators.I2F, 0)).fma(d1, m1);
                        FloatVector w1 = ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 1).and(0x10))
                                .convert(VectorOperators.I2F, 0)).fma(d2, m2);
                        acc0 = w0.fma(FloatVector.fromArray(F, x, xa), acc0);
                        acc1 = w1.fma(FloatVector.fromArray(F, x, xa + 32), acc1);
                    }
                }
            }
            { // chunk 3: sub-blocks 6 (low nibbles, qh bit 6), 7 (high nibbles, qh bit 7)
                FloatVector d1 = FloatVector.broadcast(F, sv.lane(6));
                FloatVector m1 = FloatVector.broadcast(F, sv.lane(14));
                FloatVector d2 = FloatVector.broadcast(F, sv.lane(7));
                FloatVector m2 = FloatVector.broadcast(F, sv.lane(15));
                long qs = block + 144;
                int xi = xb + 192;
                for (int j = 0; j < 32; j += STEP) {
                    ByteVector q8 = ByteVector.fromMemorySegment(B, data, qs + j, LE);
                    ByteVector h8 = ByteVector.fromMemorySegment(B, data, block + 16 + j, LE);
                    for (int p = 0; p < PARTS; p++) {
                        IntVector q = (IntVector) q8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector h = (IntVector) h8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        int xa = xi + j + p * L;
                        FloatVector w0 = ((FloatVector) q.and(0x0F).or(h.lanewise(VectorOperators.LSHR, 2).and(0x10))
                                .convert(VectorOperators.I2F, 0)).fma(d1, m1);
                        FloatVector w1 = ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 3).and(0x10))
                                .convert(VectorOperators.I2F, 0)).fma(d2, m2);
                        acc0 = w0.fma(FloatVector.fromArray(F, x, xa), acc0);
                        acc1 = w1.fma(FloatVector.fromArray(F, x, xa + 32), acc1);
                    }
                }
            }
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
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
            { // chunk 0: sub-blocks 0 (low nibbles, qh bit 0), 1 (high nibbles, qh bit 1)
                FloatVector d1 = FloatVector.broadcast(F, sv.lane(0));
                FloatVector m1 = FloatVector.broadcast(F, sv.lane(8));
                FloatVector d2 = FloatVector.broadcast(F, sv.lane(1));
                FloatVector m2 = FloatVector.broadcast(F, sv.lane(9));
                long qs = block + 48;
                int oi = ob + 0;
                for (int j = 0; j < 32; j += STEP) {
                    ByteVector q8 = ByteVector.fromMemorySegment(B, data, qs + j, LE);
                    ByteVector h8 = ByteVector.fromMemorySegment(B, data, block + 16 + j, LE);
                    for (int p = 0; p < PARTS; p++) {
                        IntVector q = (IntVector) q8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector h = (IntVector) h8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        // multiply, then add the negated min: the reference's two roundings
                        ((FloatVector) q.and(0x0F).or(h.lanewise(VectorOperators.LSHL, 4).and(0x10)).convert(VectorOperators.I2F, 0))
                                .mul(d1).add(m1).intoArray(out, oi + j + p * L);
                        ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHL, 3).and(0x10))
                                .convert(VectorOperators.I2F, 0)).mul(d2).add(m2).intoArray(out, oi + 32 + j + p * L);
                    }
                }
            }
            { // chunk 1: sub-blocks 2 (low nibbles, qh bit 2), 3 (high nibbles, qh bit 3)
                FloatVector d1 = FloatVector.broadcast(F, sv.lane(2));
                FloatVector m1 = FloatVector.broadcast(F, sv.lane(10));
                FloatVector d2 = FloatVector.broadcast(F, sv.lane(3));
                FloatVector m2 = FloatVector.broadcast(F, sv.lane(11));
                long qs = block + 80;
                int oi = ob + 64;
                for (int j = 0; j < 32; j += STEP) {
                    ByteVector q8 = ByteVector.fromMemorySegment(B, data, qs + j, LE);
                    ByteVector h8 = ByteVector.fromMemorySegment(B, data, block + 16 + j, LE);
                    for (int p = 0; p < PARTS; p++) {
                        IntVector q = (IntVector) q8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector h = (IntVector) h8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        // multiply, then add the negated min: the reference's two roundings
                        ((FloatVector) q.and(0x0F).or(h.lanewise(VectorOperators.LSHL, 2).and(0x10)).convert(VectorOperators.I2F, 0))
                                .mul(d1).add(m1).intoArray(out, oi + j + p * L);
                        ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHL, 1).and(0x10))
                                .convert(VectorOperators.I2F, 0)).mul(d2).add(m2).intoArray(out, oi + 32 + j + p * L);
                    }
                }
            }
            { // chunk 2: sub-blocks 4 (low nibbles, qh bit 4), 5 (high nibbles, qh bit 5)
                FloatVector d1 = FloatVector.broadcast(F, sv.lane(4));
                FloatVector m1 = FloatVector.broadcast(F, sv.lane(12));
                FloatVector d2 = FloatVector.broadcast(F, sv.lane(5));
                FloatVector m2 = FloatVector.broadcast(F, sv.lane(13));
                long qs = block + 112;
                int oi = ob + 128;
                for (int j = 0; j < 32; j += STEP) {
                    ByteVector q8 = ByteVector.fromMemorySegment(B, data, qs + j, LE);
                    ByteVector h8 = ByteVector.fromMemorySegment(B, data, block + 16 + j, LE);
                    for (int p = 0; p < PARTS; p++) {
                        IntVector q = (IntVector) q8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector h = (IntVector) h8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        // multiply, then add the negated min: the reference's two roundings
                        ((FloatVector) q.and(0x0F).or(h.and(0x10)).convert(VectorOperators.I2F, 0))
                                .mul(d1).add(m1).intoArray(out, oi + j + p * L);
                        ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 1).and(0x10))
                                .convert(VectorOperators.I2F, 0)).mul(d2).add(m2).intoArray(out, oi + 32 + j + p * L);
                    }
                }
            }
            { // chunk 3: sub-blocks 6 (low nibbles, qh bit 6), 7 (high nibbles, qh bit 7)
                FloatVector d1 = FloatVector.broadcast(F, sv.lane(6));
                FloatVector m1 = FloatVector.broadcast(F, sv.lane(14));
                FloatVector d2 = FloatVector.broadcast(F, sv.lane(7));
                FloatVector m2 = FloatVector.broadcast(F, sv.lane(15));
                long qs = block + 144;
                int oi = ob + 192;
                for (int j = 0; j < 32; j += STEP) {
                    ByteVector q8 = ByteVector.fromMemorySegment(B, data, qs + j, LE);
                    ByteVector h8 = ByteVector.fromMemorySegment(B, data, block + 16 + j, LE);
                    for (int p = 0; p < PARTS; p++) {
                        IntVector q = (IntVector) q8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        IntVector h = (IntVector) h8.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                        // multiply, then add the negated min: the reference's two roundings
                        ((FloatVector) q.and(0x0F).or(h.lanewise(VectorOperators.LSHR, 2).and(0x10)).convert(VectorOperators.I2F, 0))
                                .mul(d1).add(m1).intoArray(out, oi + j + p * L);
                        ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 3).and(0x10))
                                .convert(VectorOperators.I2F, 0)).mul(d2).add(m2).intoArray(out, oi + 32 + j + p * L);
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
