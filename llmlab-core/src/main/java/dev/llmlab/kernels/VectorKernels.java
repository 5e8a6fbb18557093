package dev.llmlab.kernels;

import dev.llmlab.gguf.GgmlType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.ValueLayout;
import java.util.EnumMap;

/**
 * The Vector API kernels and the vector species they share. Only reached after {@link VectorSupport} found
 * the API usable. All species are static finals so that C2 compiles every vector operation to instructions.
 */
final class VectorKernels {
    /** Float lanes of the machine's preferred vector: 16 with AVX-512, 8 with AVX2, 4 with NEON. */
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** Ints with as many lanes as {@link #F}. */
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Shorts with as many lanes as {@link #F} (fp16 and bf16 weights). */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(L * Short.SIZE));
    /**
     * Int8 quants loaded per step: as many lanes as {@link #F}, but at least 64 bits (the smallest shape),
     * so one load feeds {@link #PARTS} float vectors.
     */
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * Byte.SIZE)));
    static final int PARTS = B.length() / L;

    static final ValueLayout.OfShort F16_SCALE = ValueLayout.JAVA_SHORT_UNALIGNED;

    private VectorKernels() {
    }

    static int preferredBitSize() {
        return F.vectorBitSize();
    }

    /** All vector kernels. */
    static KernelRegistry registry(String description) {
        var kernels = new EnumMap<GgmlType, RowKernel>(GgmlType.class);
        kernels.put(GgmlType.F32, new F32VectorKernel());
        kernels.put(GgmlType.F16, new HalfFloatVectorKernel(GgmlType.F16));
        kernels.put(GgmlType.BF16, new HalfFloatVectorKernel(GgmlType.BF16));
        kernels.put(GgmlType.Q8_0, new Q8_0VectorKernel());
        kernels.put(GgmlType.Q4_0, new Q4_0VectorKernel());
        kernels.put(GgmlType.Q4_1, new LegacyQuantVectorKernel(GgmlType.Q4_1));
        kernels.put(GgmlType.Q5_0, new LegacyQuantVectorKernel(GgmlType.Q5_0));
        kernels.put(GgmlType.Q5_1, new LegacyQuantVectorKernel(GgmlType.Q5_1));
        kernels.put(GgmlType.Q2_K, new LowBitKQuantVectorKernel(GgmlType.Q2_K));
        kernels.put(GgmlType.Q3_K, new LowBitKQuantVectorKernel(GgmlType.Q3_K));
        kernels.put(GgmlType.Q4_K, new Q4_KVectorKernel());
        kernels.put(GgmlType.Q5_K, new Q5_KVectorKernel());
        kernels.put(GgmlType.Q6_K, new Q6_KVectorKernel());
        kernels.put(GgmlType.IQ4_NL, new NonLinearQuantVectorKernel(GgmlType.IQ4_NL));
        kernels.put(GgmlType.IQ4_XS, new NonLinearQuantVectorKernel(GgmlType.IQ4_XS));
        return new KernelRegistry("vector", description, kernels, VectorOps.vector());
    }

    /**
     * IEEE half-precision bits (in the low 16 bits of each short lane) to floats, exactly like
     * {@link Float#float16ToFloat}. The Vector API has no fp16 conversion, so: put exponent and mantissa
     * in float position and scale by 2^112 (exact for normal and subnormal halves), give infinities and NaNs
     * the all-ones float exponent, then restore the sign.
     */
    static FloatVector halfToFloat(ShortVector half) {
        IntVector bits = (IntVector) half.convertShape(VectorOperators.S2I, I, 0);
        IntVector magnitude = bits.and(0x7fff).lanewise(VectorOperators.LSHL, 13);
        IntVector sign = bits.and(0x8000_0000); // sign extension copied bit 15 to bit 31
        IntVector finite = magnitude.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        VectorMask<Integer> infOrNan = magnitude.compare(VectorOperators.GE, 0x0f80_0000);
        IntVector special = magnitude.add(0x7000_0000); // half exponent 31 -> float exponent 255
        return finite.blend(special, infOrNan).or(sign).reinterpretAsFloats();
    }

    /** bfloat16 bits are the high half of a float. */
    static FloatVector bf16ToFloat(ShortVector bf16) {
        IntVector bits = (IntVector) bf16.convertShape(VectorOperators.S2I, I, 0);
        return bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }
}
