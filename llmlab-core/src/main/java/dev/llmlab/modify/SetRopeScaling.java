package dev.llmlab.modify;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufMetadata;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.gguf.GgufValue;
import dev.llmlab.model.ArchitectureRegistry;
import dev.llmlab.model.BlockDesign;
import dev.llmlab.model.RopeScaling;
import dev.llmlab.model.TensorNaming;
import dev.llmlab.model.TensorRole;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Sets RoPE scaling the way GGUF files carry it, so llmlab and llama.cpp read the same thing: linear as
 * {@code <arch>.rope.scaling.type = linear} + {@code rope.scaling.factor}; Llama 3 as the per-frequency divisors in
 * the tensor {@code rope_freqs.weight} (what llama.cpp's converter writes); none removes both. YaRN is refused:
 * llmlab's engine does not compute it, so it could not run the result.
 */
public record SetRopeScaling(RopeScaling scaling) implements ModelModifier {
    private static final String ROPE_FREQS = TensorNaming.GGUF.name(TensorRole.ROPE_FREQS);

    public SetRopeScaling {
        Objects.requireNonNull(scaling, "scaling");
        if (scaling instanceof RopeScaling.FrequencyFactors) {
            throw new InvalidRequestException("give rope scaling as none, linear or llama3, not as raw factors");
        }
    }

    /** {@link #parse(String, int)} with the model's declared context length as the Llama 3 original context. */
    public static SetRopeScaling parse(String spec, GgufModel model) {
        return parse(spec, ModelFacts.metadata(model).count(ModelFacts.architecture(model) + ".context_length", 0));
    }

    /**
     * Parses {@code none}, {@code linear:F}, {@code llama3:F[:LOW:HIGH[:ORIGINAL_CONTEXT]]} (defaults 1, 4 and the
     * model's context length at the time of parsing, {@code originalContext}), e.g. {@code llama3:8:1:4:8192}.
     */
    public static SetRopeScaling parse(String spec, int originalContext) {
        String[] p = spec.strip().toLowerCase(Locale.ROOT).split(":");
        try {
            return switch (p[0]) {
                case "none" -> new SetRopeScaling(new RopeScaling.None());
                case "linear" -> {
                    requireArgs(spec, p, 2, 2);
                    yield new SetRopeScaling(new RopeScaling.Linear(factor(spec, p[1])));
                }
                case "llama3" -> {
                    requireArgs(spec, p, 2, 5);
                    float low = p.length > 2 ? Float.parseFloat(p[2]) : 1f;
                    float high = p.length > 3 ? Float.parseFloat(p[3]) : 4f;
                    int original = p.length > 4 ? Integer.parseInt(p[4]) : originalContext;
                    if (!(high > low) || low <= 0 || original < 1) {
                        throw new InvalidRequestException("rope scaling '" + spec + "': llama3 needs 0 < LOW < HIGH"
                                + " and an original context of at least 1");
                    }
                    yield new SetRopeScaling(new RopeScaling.Llama3(factor(spec, p[1]), low, high, original));
                }
                case "yarn" -> throw new UnsupportedModelException("rope scaling '" + spec + "': llmlab's engine"
                        + " does not compute YaRN, so it could not run the result; use linear:F or llama3:F");
                default -> throw new InvalidRequestException("rope scaling '" + spec + "' is not one of none,"
                        + " linear:F, llama3:F[:LOW:HIGH[:ORIGINAL_CONTEXT]]");
            };
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("rope scaling '" + spec + "': " + e.getMessage() + " is not a number");
        }
    }

    private static void requireArgs(String spec, String[] p, int min, int max) {
        if (p.length < min || p.length > max) {
            throw new InvalidRequestException("rope scaling '" + spec + "': expected " + p[0] + ":FACTOR"
                    + (max > 2 ? "[:LOW:HIGH[:ORIGINAL_CONTEXT]]" : ""));
        }
    }

    private static float factor(String spec, String text) {
        float f = Float.parseFloat(text);
        if (!(f >= 1f) || Float.isInfinite(f)) {
            throw new InvalidRequestException("rope scaling '" + spec + "': the factor must be at least 1, got "
                    + text);
        }
        return f;
    }

    @Override
    public void check(GgufModel model) {
        String arch = ModelFacts.architecture(model);
        BlockDesign design = ArchitectureRegistry.defaults().find(arch, model.source()).design();
        if (design.positions() != BlockDesign.Positions.ROPE) {
            throw new InvalidRequestException(model.source() + ": '" + arch + "' uses learned position embeddings,"
                    + " not RoPE; there is no RoPE scaling to set");
        }
    }

    @Override
    public GgufModel apply(GgufModel model) {
        check(model);
        String a = ModelFacts.architecture(model);
        Map<String, GgufValue> metadata = new LinkedHashMap<>(model.metadata());
        metadata.remove(a + ".rope.scaling.type");
        metadata.remove(a + ".rope.scaling.factor");
        List<GgufModel.Tensor> tensors = new ArrayList<>(model.tensors());
        tensors.removeIf(t -> t.name().equals(ROPE_FREQS));
        switch (scaling) {
            case RopeScaling.None none -> { }
            case RopeScaling.Linear linear -> {
                metadata.put(a + ".rope.scaling.type", GgufValue.ofString("linear"));
                metadata.put(a + ".rope.scaling.factor", GgufValue.ofFloat32(linear.factor()));
            }
            case RopeScaling.Llama3 llama3 -> {
                GgufMetadata md = ModelFacts.metadata(model);
                int headDim = md.count(a + ".attention.key_length",
                        md.count(a + ".embedding_length") / md.count(a + ".attention.head_count"));
                int dims = md.count(a + ".rope.dimension_count", headDim);
                float[] factors = llama3.frequencyFactors(md.optFloat(a + ".rope.freq_base").orElse(10_000f), dims);
                MemorySegment data = ModelFacts.floatSegment(factors);
                int at = 0;
                while (at < tensors.size() && ModelFacts.layerOf(tensors.get(at).name()) < 0) {
                    at++;
                }
                tensors.add(at, new GgufModel.Tensor(ROPE_FREQS, GgmlType.F32, new long[]{factors.length}, data));
            }
            case RopeScaling.FrequencyFactors f -> throw new IllegalStateException("refused by the constructor");
        }
        return new GgufModel(model.source() + " (" + describe() + ")", metadata, tensors);
    }

    @Override
    public String describe() {
        return "rope scaling " + switch (scaling) {
            case RopeScaling.None n -> "none";
            case RopeScaling.Linear l -> "linear x" + l.factor();
            case RopeScaling.Llama3 l -> "llama3 x" + l.factor() + " (low " + l.lowFreqFactor() + ", high "
                    + l.highFreqFactor() + ", original context " + l.originalContextLength() + ")";
            case RopeScaling.FrequencyFactors f -> "factors";
        };
    }
}
