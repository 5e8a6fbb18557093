package dev.llmlab.model;

import dev.llmlab.gguf.GgufMetadata;
import dev.llmlab.gguf.GgufValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Generation defaults carried with a model in GGUF metadata under {@code llmlab.generation.} (llama.cpp ignores
 * them): used when the user does not give the matching option. Absent values are null.
 *
 * @param temperature {@code llmlab.generation.temperature} (f32)
 * @param topP        {@code llmlab.generation.top_p} (f32)
 * @param topK        {@code llmlab.generation.top_k} (u32)
 * @param maxTokens   {@code llmlab.generation.max_tokens} (u32)
 * @param stops       {@code llmlab.generation.stop} (array of strings); empty when absent
 */
public record GenerationDefaults(Float temperature, Float topP, Integer topK, Integer maxTokens, List<String> stops) {
    public static final String PREFIX = "llmlab.generation.";
    public static final String TEMPERATURE = PREFIX + "temperature";
    public static final String TOP_P = PREFIX + "top_p";
    public static final String TOP_K = PREFIX + "top_k";
    public static final String MAX_TOKENS = PREFIX + "max_tokens";
    public static final String STOP = PREFIX + "stop";
    public static final GenerationDefaults NONE = new GenerationDefaults(null, null, null, null, List.of());

    public GenerationDefaults {
        stops = List.copyOf(stops);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** The defaults a model's metadata holds (errors name the key). */
    public static GenerationDefaults read(GgufMetadata md) {
        Optional<Float> t = md.optFloat(TEMPERATURE);
        Optional<Float> p = md.optFloat(TOP_P);
        Integer k = md.contains(TOP_K) ? md.count(TOP_K) : null;
        Integer max = md.contains(MAX_TOKENS) ? md.count(MAX_TOKENS) : null;
        List<String> stops = md.contains(STOP) ? md.stringArray(STOP) : List.of();
        return new GenerationDefaults(t.orElse(null), p.orElse(null), k, max, stops);
    }

    /** The metadata entries for the values present (a key whose value is absent is not written). */
    public Map<String, GgufValue> entries() {
        Map<String, GgufValue> m = new LinkedHashMap<>();
        if (temperature != null) {
            m.put(TEMPERATURE, GgufValue.ofFloat32(temperature));
        }
        if (topP != null) {
            m.put(TOP_P, GgufValue.ofFloat32(topP));
        }
        if (topK != null) {
            m.put(TOP_K, GgufValue.ofUint32(topK));
        }
        if (maxTokens != null) {
            m.put(MAX_TOKENS, GgufValue.ofUint32(maxTokens));
        }
        if (!stops.isEmpty()) {
            m.put(STOP, GgufValue.ofStrings(stops));
        }
        return m;
    }
}
