package dev.llmlab.synth;

import dev.llmlab.error.InvalidRequestException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The hyper-parameters of a decoder-only model: everything needed to lay out its tensors and metadata.
 *
 * @param ropeFreqBase   RoPE theta (ignored by architectures without RoPE)
 * @param normEpsilon    RMSNorm epsilon, or LayerNorm epsilon for GPT-2
 * @param tiedEmbeddings the output head reuses token_embd.weight (no output.weight tensor)
 */
public record ModelShape(String name, SynthArchitecture architecture, int vocabSize, int embeddingLength,
                         int blockCount, int headCount, int headCountKv, int feedForwardLength, int contextLength,
                         float ropeFreqBase, float normEpsilon, boolean tiedEmbeddings) {

    /** Byte-fallback vocabularies need the 3 special tokens and the 256 byte tokens. */
    public static final int MIN_VOCAB_SIZE = SyntheticVocabulary.FIRST_NORMAL_ID;

    private static final Map<String, ModelShape> PRESETS = presets();
    private static final List<String> DIM_KEYS =
            List.of("arch", "vocab", "d", "layers", "heads", "kv", "ffn", "ctx", "theta", "eps", "tied");

    public ModelShape {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(architecture, "architecture");
        positive("embeddingLength", embeddingLength);
        positive("blockCount", blockCount);
        positive("headCount", headCount);
        positive("headCountKv", headCountKv);
        positive("feedForwardLength", feedForwardLength);
        positive("contextLength", contextLength);
        if (vocabSize < MIN_VOCAB_SIZE) {
            throw new InvalidRequestException("vocabSize " + vocabSize + " is too small: the vocabulary needs at "
                    + "least " + MIN_VOCAB_SIZE + " tokens (3 special + 256 byte tokens)");
        }
        if (embeddingLength % headCount != 0) {
            throw new InvalidRequestException("embeddingLength " + embeddingLength
                    + " is not a multiple of headCount " + headCount);
        }
        if (headCount % headCountKv != 0) {
            throw new InvalidRequestException("headCount " + headCount + " is not a multiple of headCountKv "
                    + headCountKv);
        }
        if (architecture.usesRmsNormAndRope() && (embeddingLength / headCount) % 2 != 0) {
            throw new InvalidRequestException("head size " + embeddingLength / headCount
                    + " must be even for rotary position embeddings");
        }
        if (architecture.hasGpt2Layout() && headCountKv != headCount) {
            throw new InvalidRequestException("GPT-2 has no grouped-query attention: headCountKv " + headCountKv
                    + " must equal headCount " + headCount);
        }
        if (!(normEpsilon > 0) || !(ropeFreqBase > 0)) {
            throw new InvalidRequestException("normEpsilon and ropeFreqBase must be positive, got " + normEpsilon
                    + " and " + ropeFreqBase);
        }
    }

    /** A named shape: tinyllama-1.1b, qwen2.5-0.5b, gpt2-124m, stories260k or tiny. */
    public static ModelShape preset(String name) {
        ModelShape shape = PRESETS.get(name);
        if (shape == null) {
            throw new InvalidRequestException("unknown model shape '" + name + "'; valid: "
                    + String.join(", ", PRESETS.keySet()));
        }
        return shape;
    }

    public static List<String> presetNames() {
        return List.copyOf(PRESETS.keySet());
    }

    /** Explicit dimensions with the architecture's usual defaults (RoPE theta 10000, epsilon 1e-5). */
    public static ModelShape of(SynthArchitecture architecture, int vocabSize, int embeddingLength, int blockCount,
                                int headCount, int headCountKv, int feedForwardLength, int contextLength) {
        return new ModelShape("custom", architecture, vocabSize, embeddingLength, blockCount, headCount, headCountKv,
                feedForwardLength, contextLength, 10_000f, 1e-5f, architecture != SynthArchitecture.LLAMA);
    }

    /**
     * Parses {@code key=value} pairs separated by commas, e.g. {@code d=256,layers=4,heads=8,kv=2,ffn=688}. Keys:
     * arch, vocab, d, layers, heads, kv, ffn, ctx, theta, eps, tied. Missing keys take the values of the
     * {@code tiny} preset, except kv (= heads when heads is given) and tied (untied for llama only).
     */
    public static ModelShape parseDims(String spec) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = eq < 0 ? part.strip() : part.substring(0, eq).strip();
            if (eq < 0 || !DIM_KEYS.contains(key)) {
                throw new InvalidRequestException("bad dimension '" + part.strip() + "' in '" + spec
                        + "'; use key=value with keys " + String.join(", ", DIM_KEYS));
            }
            values.put(key, part.substring(eq + 1).strip());
        }
        ModelShape base = preset("tiny");
        SynthArchitecture arch = values.containsKey("arch")
                ? SynthArchitecture.byGgufName(values.get("arch")) : base.architecture;
        int heads = intValue(values, "heads", base.headCount);
        // Grouped-query attention only when asked for (GPT-2 has none).
        int kvDefault = values.containsKey("heads") || arch.hasGpt2Layout() ? heads : base.headCountKv;
        return new ModelShape("custom", arch,
                intValue(values, "vocab", base.vocabSize),
                intValue(values, "d", base.embeddingLength),
                intValue(values, "layers", base.blockCount),
                heads,
                intValue(values, "kv", kvDefault),
                intValue(values, "ffn", base.feedForwardLength),
                intValue(values, "ctx", base.contextLength),
                floatValue(values, "theta", base.ropeFreqBase),
                floatValue(values, "eps", base.normEpsilon),
                values.containsKey("tied") ? Boolean.parseBoolean(values.get("tied"))
                        : arch != SynthArchitecture.LLAMA);
    }

    public int headSize() {
        return embeddingLength / headCount;
    }

    /** Width of the K and V projections: headCountKv * headSize. */
    public int kvLength() {
        return headCountKv * headSize();
    }

    public ModelShape withName(String newName) {
        return new ModelShape(newName, architecture, vocabSize, embeddingLength, blockCount, headCount, headCountKv,
                feedForwardLength, contextLength, ropeFreqBase, normEpsilon, tiedEmbeddings);
    }

    private static Map<String, ModelShape> presets() {
        Map<String, ModelShape> m = new LinkedHashMap<>();
        SynthArchitecture llama = SynthArchitecture.LLAMA;
        m.put("tinyllama-1.1b", new ModelShape("tinyllama-1.1b", llama, 32_000, 2048, 22, 32, 4, 5632, 2048,
                10_000f, 1e-5f, false));
        m.put("qwen2.5-0.5b", new ModelShape("qwen2.5-0.5b", SynthArchitecture.QWEN2, 151_936, 896, 24, 14, 2, 4864,
                32_768, 1_000_000f, 1e-6f, true));
        m.put("gpt2-124m", new ModelShape("gpt2-124m", SynthArchitecture.GPT2, 50_257, 768, 12, 12, 12, 3072, 1024,
                10_000f, 1e-5f, true));
        // The real stories260K.gguf says context 2048, but the model was trained on 512-token sequences.
        m.put("stories260k", new ModelShape("stories260k", llama, 512, 64, 5, 8, 4, 172, 512,
                10_000f, 1e-5f, false));
        m.put("tiny", new ModelShape("tiny", llama, 512, 64, 2, 4, 2, 128, 256, 10_000f, 1e-5f, false));
        return m;
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new InvalidRequestException(field + " must be positive, got " + value);
        }
    }

    private static int intValue(Map<String, String> values, String key, int defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("dimension " + key + "=" + v + " is not an integer");
        }
    }

    private static float floatValue(Map<String, String> values, String key, float defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Float.parseFloat(v);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("dimension " + key + "=" + v + " is not a number");
        }
    }
}
