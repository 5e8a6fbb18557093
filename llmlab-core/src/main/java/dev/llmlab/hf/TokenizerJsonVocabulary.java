package dev.llmlab.hf;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.ModelNotFoundException;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.gguf.GgufValue;
import dev.llmlab.gguf.GgufValueType;
import dev.llmlab.gguf.GgufWriter;
import dev.llmlab.tokenizer.TokenType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vocabulary of a byte-level BPE {@code tokenizer.json} (GPT-2, Llama 3, Qwen2) as GGUF tokenizer metadata,
 * the way llama.cpp's converter writes it: model {@code gpt2}, tokens by id (ids the vocabulary lacks become
 * {@code [PADn]} of type UNUSED), token types (added special tokens CONTROL, other added tokens USER_DEFINED),
 * merges as {@code "a b"} strings, the pre-tokenizer name and the BOS/EOS ids. Nothing is tokenized here.
 *
 * @param tokens       every token text, by id
 * @param types        each token's type
 * @param merges       ranked merges
 * @param preTokenizer llama.cpp's name of the split regex ({@code gpt-2}, {@code llama-bpe}, {@code qwen2})
 * @param addBos       whether the post-processor puts a special token first (Llama 3's BOS)
 */
public record TokenizerJsonVocabulary(List<String> tokens, List<TokenType> types, List<String> merges,
                                      String preTokenizer, boolean addBos) {
    public static final String FILE = "tokenizer.json";

    /** Reads {@code tokenizer.json} of a checkpoint, padded to {@code vocabSize} tokens (the embedding rows). */
    public static TokenizerJsonVocabulary read(Path directory, int vocabSize) {
        Path path = directory.resolve(FILE);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(path));
        } catch (NoSuchFileException e) {
            throw new ModelNotFoundException(directory + " has no " + FILE + "; converting needs the tokenizer");
        } catch (JacksonException e) {
            throw new ModelFormatException(path + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
        JsonNode model = root.path("model");
        if (!model.path("type").asText("").equals("BPE") || model.path("byte_fallback").asBoolean(false)) {
            throw new UnsupportedModelException(path + ": only byte-level BPE tokenizers (GPT-2, Llama 3, Qwen2) "
                    + "are read yet; this one is " + model.path("type").asText("?")
                    + (model.path("byte_fallback").asBoolean(false) ? " with byte fallback (SentencePiece-style)" : ""));
        }
        Map<Integer, String> byId = new HashMap<>();
        model.path("vocab").properties().forEach(e -> byId.put(e.getValue().asInt(), e.getKey()));
        Map<Integer, TokenType> added = new HashMap<>();
        for (JsonNode t : root.path("added_tokens")) {
            int id = t.path("id").asInt(-1);
            byId.put(id, t.path("content").asText());
            added.put(id, t.path("special").asBoolean(false) ? TokenType.CONTROL : TokenType.USER_DEFINED);
        }
        int size = Math.max(vocabSize, byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1);
        List<String> tokens = new ArrayList<>(size);
        List<TokenType> types = new ArrayList<>(size);
        for (int id = 0; id < size; id++) {
            String text = byId.get(id);
            tokens.add(text != null ? text : "[PAD" + id + "]");
            types.add(text == null ? TokenType.UNUSED : added.getOrDefault(id, TokenType.NORMAL));
        }
        List<String> merges = new ArrayList<>();
        for (JsonNode m : model.path("merges")) {
            merges.add(m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText());
        }
        JsonNode single = root.path("post_processor").path("single");
        boolean addBos = root.path("post_processor").path("type").asText("").equals("TemplateProcessing")
                && single.isArray() && !single.isEmpty() && single.get(0).has("SpecialToken");
        return new TokenizerJsonVocabulary(tokens, types, merges, preTokenizer(path, root.path("pre_tokenizer")),
                addBos);
    }

    /** llama.cpp's pre-tokenizer name, recognised from the split regex. */
    private static String preTokenizer(Path path, JsonNode pre) {
        String text = pre.toString();
        if (text.contains("\\\\p{N}{1,3}")) {
            return "llama-bpe";
        }
        if (text.contains("(?i:'s|'t|'re|'ve|'m|'ll|'d)") && text.contains("\\\\p{N}|")) {
            return "qwen2";
        }
        if (pre.path("type").asText("").equals("ByteLevel") && pre.path("use_regex").asBoolean(true)) {
            return "gpt-2";
        }
        throw new UnsupportedModelException(path + ": pre-tokenizer " + text + " is not one llmlab can name for "
                + "llama.cpp yet; known: gpt-2, llama-bpe, qwen2");
    }

    /** Adds the {@code tokenizer.ggml.*} keys. */
    public void writeTo(GgufWriter.Builder gguf, HfConfig config) {
        gguf.putAll(ggufMetadata(config));
    }

    /** The {@code tokenizer.ggml.*} keys, in the order llama.cpp's converter writes them. */
    public Map<String, GgufValue> ggufMetadata(HfConfig config) {
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", GgufValue.ofString("gpt2"));
        m.put("tokenizer.ggml.pre", GgufValue.ofString(preTokenizer));
        m.put("tokenizer.ggml.tokens", GgufValue.ofStrings(tokens));
        long[] typeIds = new long[types.size()];
        for (int i = 0; i < typeIds.length; i++) {
            typeIds[i] = types.get(i).ggufId();
        }
        m.put("tokenizer.ggml.token_type", GgufValue.ofInts(GgufValueType.INT32, typeIds));
        m.put("tokenizer.ggml.merges", GgufValue.ofStrings(merges));
        config.bosTokenId().value().ifPresent(id -> m.put("tokenizer.ggml.bos_token_id", GgufValue.ofUint32(id)));
        config.eosTokenId().value().ifPresent(id -> m.put("tokenizer.ggml.eos_token_id", GgufValue.ofUint32(id)));
        m.put("tokenizer.ggml.add_bos_token", GgufValue.ofBool(addBos));
        return m;
    }
}
