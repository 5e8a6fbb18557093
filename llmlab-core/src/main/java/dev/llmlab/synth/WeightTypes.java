package dev.llmlab.synth;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgmlType;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The type each weight matrix of a synthetic model gets: one type for all, or a K-quant mix laid out like
 * llama.cpp's {@code Q4_K_M} / {@code Q5_K_M} files (so that benchmarks read the same bytes per token as the
 * real files). Types without an encoder in {@link WeightEncoder} are written as random valid blocks
 * ({@link RandomQuantBlocks}): right for speed, not quantization.
 */
public sealed interface WeightTypes {

    /** For humans and the file name: {@code Q8_0}, {@code Q4_K_M}. */
    String name();

    /** The type of a weight matrix of a model with {@code blockCount} layers. */
    GgmlType typeOf(String tensorName, int blockCount);

    /** llama.cpp's {@code general.file_type} ({@code llama_ftype}) for files of these types. */
    int fileType();

    /** Every type a matrix may get. */
    List<GgmlType> types();

    static WeightTypes of(GgmlType type) {
        return new Uniform(type);
    }

    /** Parses a type name ({@code q4_k}) or a mix name ({@code Q4_K_M}); the error lists the valid names. */
    static WeightTypes parse(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        for (KQuantMix mix : KQuantMix.MIXES) {
            if (mix.name().equals(n)) {
                return mix;
            }
        }
        try {
            GgmlType t = GgmlType.valueOf(n);
            if (writable(t)) {
                return new Uniform(t);
            }
        } catch (IllegalArgumentException e) {
            // not a type name at all: same answer as an unsupported one
        }
        throw new InvalidRequestException("cannot write weights of type '" + name + "'; valid: " + validNames());
    }

    /** The names {@link #parse} accepts. */
    static String validNames() {
        return Stream.concat(Arrays.stream(GgmlType.values()).filter(WeightTypes::writable).map(Enum::name),
                KQuantMix.MIXES.stream().map(KQuantMix::name)).collect(Collectors.joining(", "));
    }

    /** Whether synthetic weights of {@code type} can be written (encoded, or random valid blocks). */
    static boolean writable(GgmlType type) {
        return WeightEncoder.supports(type) || RandomQuantBlocks.supports(type);
    }

    /** Every matrix of one type. */
    record Uniform(GgmlType type) implements WeightTypes {
        public Uniform {
            if (!writable(type)) {
                throw new InvalidRequestException("cannot write weights of type " + type + "; valid: " + validNames());
            }
        }

        @Override
        public String name() {
            return type.name();
        }

        @Override
        public GgmlType typeOf(String tensorName, int blockCount) {
            return type;
        }

        @Override
        public int fileType() {
            return switch (type) {
                case F32 -> 0;
                case F16 -> 1;
                case Q4_0 -> 2;
                case Q4_1 -> 3;
                case Q8_0 -> 7;
                case Q5_0 -> 8;
                case Q5_1 -> 9;
                case Q2_K -> 10;
                case Q3_K -> 11;   // Q3_K_S: all Q3_K
                case Q4_K -> 14;   // Q4_K_S
                case Q5_K -> 16;   // Q5_K_S
                case Q6_K -> 18;
                case IQ4_NL -> 25;
                case IQ4_XS -> 30;
                case BF16 -> 32;
                default -> throw new InvalidRequestException("no llama.cpp file type for " + type);
            };
        }

        @Override
        public List<GgmlType> types() {
            return List.of(type);
        }
    }

    /**
     * llama.cpp's "_M" mixes: {@code output.weight} and, in the layers where llama.cpp's {@code use_more_bits}
     * holds (the first and last eighth, and every third between), {@code attn_v} and {@code ffn_down} get
     * {@code moreBits}; every other matrix gets {@code base}.
     */
    record KQuantMix(String name, GgmlType base, GgmlType moreBits, int fileType) implements WeightTypes {
        static final List<KQuantMix> MIXES = List.of(
                new KQuantMix("Q4_K_M", GgmlType.Q4_K, GgmlType.Q6_K, 15),
                new KQuantMix("Q5_K_M", GgmlType.Q5_K, GgmlType.Q6_K, 17));
        private static final Pattern LAYER = Pattern.compile("blk\\.(\\d+)\\.(attn_v|ffn_down)\\.weight");

        @Override
        public GgmlType typeOf(String tensorName, int blockCount) {
            if (tensorName.equals("output.weight")) {
                return moreBits;
            }
            Matcher m = LAYER.matcher(tensorName);
            return m.matches() && useMoreBits(Integer.parseInt(m.group(1)), blockCount) ? moreBits : base;
        }

        @Override
        public List<GgmlType> types() {
            return List.of(base, moreBits);
        }

        /** llama.cpp's {@code use_more_bits(i_layer, n_layers)}. */
        static boolean useMoreBits(int layer, int layers) {
            return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
        }
    }
}
