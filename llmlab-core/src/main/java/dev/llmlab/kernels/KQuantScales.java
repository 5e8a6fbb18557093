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
 * The kernels write the unpacking inline with these constants (a helper returning a vector is boxed when C2
 * does not inline it, and whether it did varied from run to run):
 * <pre>
 *   packed = zero-extend the 16 bytes at the scales to 16 ints
 *   sv = float((packed[LOW_SOURCE] >> LOW_SHIFT & LOW_MASK) | (packed[HIGH_SOURCE] >> 2 & HIGH_MASK))
 *        * (d in lanes 0..7, -dmin in lanes 8..15)
 * </pre>
 */
final class KQuantScales {
    static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_128;
    static final VectorSpecies<Integer> INTS = IntVector.SPECIES_512;
    static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_512;
    /** Source byte of each lane's low bits, and of its two high bits (lanes 4..7 and 12..15). */
    static final VectorShuffle<Integer> LOW_SOURCE =
            VectorShuffle.fromValues(INTS, 0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 8, 9, 10, 11);
    static final VectorShuffle<Integer> HIGH_SOURCE =
            VectorShuffle.fromValues(INTS, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 4, 5, 6, 7);
    static final IntVector LOW_SHIFT =
            IntVector.fromArray(INTS, new int[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4}, 0);
    static final IntVector LOW_MASK =
            IntVector.fromArray(INTS, new int[]{63, 63, 63, 63, 15, 15, 15, 15, 63, 63, 63, 63, 15, 15, 15, 15}, 0);
    static final IntVector HIGH_MASK =
            IntVector.fromArray(INTS, new int[]{0, 0, 0, 0, 48, 48, 48, 48, 0, 0, 0, 0, 48, 48, 48, 48}, 0);
    static final VectorMask<Float> MIN_LANES = VectorMask.fromLong(FLOATS, 0xFF00L);

    private KQuantScales() {
    }
}
