package dev.llmlab.synth;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.quant.MixRules;
import dev.llmlab.quant.QuantTarget;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The type each weight matrix of a synthetic model gets: one type for all, or a K-quant mix laid out as the
 * quantizer lays out llama.cpp's {@code Q3_K_M} / {@code Q4_K_M} / {@code Q5_K_M} files ({@link MixRules}: one
 * rule for both), so that benchmarks read the same bytes per token as real files.
 *
 * @param target the quantizer's target this layout follows
 */
public record WeightTypes(QuantTarget target) {
    private static final Pattern LAYER = Pattern.compile("blk\\.(\\d+)\\..*");

    public WeightTypes {
        if (!target.isMix() && !writable(target.baseType())) {
            throw new InvalidRequestException("cannot write weights of type " + target + "; valid: " + validNames());
        }
    }

    public static WeightTypes of(GgmlType type) {
        return new WeightTypes(QuantTarget.plain(type));
    }

    /** Parses a type name ({@code q4_k}) or a mix name ({@code Q4_K_M}); the error lists the valid names. */
    public static WeightTypes parse(String name) {
        try {
            return new WeightTypes(QuantTarget.parse(name));
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException("cannot write weights of type '" + name + "'; valid: " + validNames());
        }
    }

    /** The names {@link #parse} accepts. */
    public static String validNames() {
        return QuantTarget.validNames();
    }

    /** Whether synthetic weights of {@code type} can be written (encoded, or random valid blocks). */
    public static boolean writable(GgmlType type) {
        return WeightEncoder.supports(type) || RandomQuantBlocks.supports(type);
    }

    /** For humans and the file name: {@code Q8_0}, {@code Q4_K_M}. */
    public String name() {
        return target.name();
    }

    /** The type of a weight matrix of a model with {@code blockCount} layers (synthetic models keep their head). */
    public GgmlType typeOf(String tensorName, int blockCount, long rowLength) {
        Matcher m = LAYER.matcher(tensorName);
        int layer = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        return MixRules.typeFor(target, tensorName, layer, blockCount, false, rowLength);
    }

    /** llama.cpp's {@code general.file_type} ({@code llama_ftype}) for files of these types. */
    public int fileType() {
        return target.llamaFileType();
    }

    /** Every type a matrix may get. */
    public List<GgmlType> types() {
        return target.isMix()
                ? Stream.of(target.baseType(), GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.Q8_0).distinct().toList()
                : List.of(target.baseType());
    }
}
