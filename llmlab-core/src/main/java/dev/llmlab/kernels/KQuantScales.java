package dev.llmlab.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Unpacks the 12 bytes of Q4_K/Q5_K scales and mins (the layout {@link KQuantReference#scale} and
 * {@link KQuantReference#min} specify byte by byte) with a few vector operations into one 16-lane float
 * vector: lanes 0..7 hold {@code d * scale[j]}, lanes 8..15 hold {@code -(dmin * min[j])}.
 * <pre>
 *   scale j < 4:  byte j & 63                  min j < 4:  byte j+4 & 63
 *   scale j >= 4: byte j+4 & 15 | (byte j-4 >> 6) << 4
 *   min j >= 4:   byte j+4 >> 4 | (byte j >> 6) << 4
 * </pre>
 * The species are 512-bit whatever the machine prefers (16 lanes, as the layout has 16 values): native with
 * AVX-512; elsewhere the Vector API runs them in a slower but equal fallback. Kernels read lanes with
 * constant indices. Unpacking byte by byte in scalar code cost more than all the vector work of a block.
 */
final class KQuantScales {
    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_128;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_512;
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_512;
    /** Source byte of each lane's low bits, and of its two high bits (lanes 4..7 and 12..15). */
    private static final VectorShuffle<Integer> LOW_SOURCE =
            VectorShuffle.fromValues(INTS, 0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 8, 9, 10, 11);
    private static final VectorShuffle<Integer> HIGH_SOURCE =
            VectorShuffle.fromValues(INTS, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 4, 5, 6, 7);
    private static final IntVector LOW_SHIFT =
            IntVector.fromArray(INTS, new int[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4}, 0);
    private static final IntVector LOW_MASK =
            IntVector.fromArray(INTS, new int[]{63, 63, 63, 63, 15, 15, 15, 15, 63, 63, 63, 63, 15, 15, 15, 15}, 0);
    private static final IntVector HIGH_MASK =
            IntVector.fromArray(INTS, new int[]{0, 0, 0, 0, 48, 48, 48, 48, 0, 0, 0, 0, 48, 48, 48, 48}, 0);
    private static final VectorMask<Float> MIN_LANES = VectorMask.fromLong(FLOATS, 0xFF00L);

    private KQuantScales() {
    }

    /** Lanes 0..7: {@code d * scale[j]}; lanes 8..15: {@code -(dmin * min[j])}; from the 12 bytes at {@code scales}. */
    static FloatVector scaleVector(MemorySegment data, long scales, float d, float dmin) {
        // 16 bytes from the scales on: the 4 past them (quants) are loaded but never used
        IntVector bytes = (IntVector) ByteVector.fromMemorySegment(BYTES, data, scales, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0);
        IntVector low = bytes.rearrange(LOW_SOURCE).lanewise(VectorOperators.LSHR, LOW_SHIFT).and(LOW_MASK);
        IntVector high = bytes.rearrange(HIGH_SOURCE).lanewise(VectorOperators.LSHR, 2).and(HIGH_MASK);
        FloatVector multiplier = FloatVector.broadcast(FLOATS, d).blend(-dmin, MIN_LANES);
        return ((FloatVector) low.or(high).convert(VectorOperators.I2F, 0)).mul(multiplier);
    }
}
