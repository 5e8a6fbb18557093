package dev.llmlab.tokenizer;

import dev.llmlab.error.UnsupportedModelException;

import java.util.List;
import java.util.Map;

/**
 * The pre-tokenizer of a GGUF {@code gpt2} vocabulary, named by {@code tokenizer.ggml.pre}: the split
 * expressions llama.cpp's {@code llama-vocab.cpp} uses for each name, and the flags that go with them.
 * Expressions are the llama.cpp spellings (case-insensitive contractions written out as {@code '[sS]}).
 */
public final class GgufPreTokenizers {
    private static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
    private static final String LLAMA3 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String QWEN2 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /**
     * One pre-tokenizer kind.
     *
     * @param expressions  applied in turn, each splitting the pieces of the one before
     * @param ignoreMerges a piece that is itself a token is taken whole
     * @param addBos       llama.cpp's default for {@code tokenizer.ggml.add_bos_token} with this pre-tokenizer
     */
    public record Kind(List<String> expressions, boolean ignoreMerges, boolean addBos) {
        public RegexSplitter splitter() {
            return new RegexSplitter(expressions.stream().map(RegexSplitter::compile).toList());
        }
    }

    private static final Kind DEFAULT = new Kind(List.of("[\\p{P}\\$\\+<=>\\^~\\|]+", GPT2, "\\p{N}+",
            "[0-9][0-9][0-9]"), false, false);
    private static final Kind GPT2_KIND = new Kind(List.of(GPT2), false, false);
    private static final Kind LLAMA3_KIND = new Kind(List.of(LLAMA3), true, true);
    private static final Kind QWEN2_KIND = new Kind(List.of(QWEN2), false, false);
    private static final Kind STARCODER_KIND = new Kind(List.of("\\p{N}", GPT2), false, false);
    private static final Kind FALCON_KIND = new Kind(List.of("[\\p{P}\\$\\+<=>\\^~\\|`]+", GPT2, "[0-9][0-9][0-9]"),
            false, false);

    private static final Map<String, Kind> BY_NAME = Map.ofEntries(
            Map.entry("default", DEFAULT),
            Map.entry("gpt-2", GPT2_KIND), Map.entry("phi-2", GPT2_KIND), Map.entry("mpt", GPT2_KIND),
            Map.entry("olmo", GPT2_KIND), Map.entry("jina-es", GPT2_KIND), Map.entry("jina-de", GPT2_KIND),
            Map.entry("llama3", LLAMA3_KIND), Map.entry("llama-v3", LLAMA3_KIND), Map.entry("llama-bpe", LLAMA3_KIND),
            Map.entry("falcon3", LLAMA3_KIND), Map.entry("pixtral", LLAMA3_KIND), Map.entry("dbrx", LLAMA3_KIND),
            Map.entry("smaug-bpe", LLAMA3_KIND),
            Map.entry("qwen2", QWEN2_KIND), Map.entry("deepseek-r1-qwen", QWEN2_KIND),
            Map.entry("stablelm2", QWEN2_KIND),
            Map.entry("starcoder", STARCODER_KIND), Map.entry("refact", STARCODER_KIND),
            Map.entry("command-r", STARCODER_KIND), Map.entry("smollm", STARCODER_KIND),
            Map.entry("codeshell", STARCODER_KIND), Map.entry("exaone", STARCODER_KIND),
            Map.entry("minerva-7b", STARCODER_KIND),
            Map.entry("falcon", FALCON_KIND));

    private GgufPreTokenizers() {
    }

    /**
     * @param name the {@code tokenizer.ggml.pre} value; absent means {@code default}, as in llama.cpp
     * @throws UnsupportedModelException for a name llmlab does not know, listing the known ones
     */
    public static Kind find(String name, String source) {
        Kind kind = BY_NAME.get(name);
        if (kind == null) {
            throw new UnsupportedModelException(source + ": pre-tokenizer '" + name + "' (tokenizer.ggml.pre) is not "
                    + "supported; llmlab knows " + BY_NAME.keySet().stream().sorted().toList()
                    + ". Use a model converted with one of these, or add its split expressions to GgufPreTokenizers");
        }
        return kind;
    }
}
