package dev.llmlab.tokenizer.hf;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.ModelNotFoundException;
import dev.llmlab.tokenizer.BpeMerges;
import dev.llmlab.tokenizer.BpeModel;
import dev.llmlab.tokenizer.LlamaCppTokenRules;
import dev.llmlab.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads a Hugging Face model directory's {@code tokenizer.json} (BPE model: byte-level as GPT-2, Llama 3 and
 * Qwen2, or SentencePiece-style with byte fallback as Llama 2 and TinyLlama). Special token ids come from
 * {@code tokenizer_config.json} ({@code bos_token}, {@code eos_token}) and {@code config.json}
 * ({@code bos_token_id}, {@code eos_token_id}) when present; end of generation is EOS plus the special tokens
 * llama.cpp treats so ({@code <|im_end|>}, {@code <|eot_id|>}, ...).
 */
public final class HfTokenizerLoader {
    public static final String TOKENIZER_FILE = "tokenizer.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HfTokenizerLoader() {
    }

    /**
     * @throws ModelNotFoundException  if the directory has no tokenizer.json
     * @throws ModelFormatException    if a file is malformed or inconsistent
     * @throws dev.llmlab.error.UnsupportedModelException for a model or component type llmlab does not implement
     */
    public static Tokenizer load(Path modelDir) {
        Path file = modelDir.resolve(TOKENIZER_FILE);
        if (!Files.isRegularFile(file)) {
            throw new ModelNotFoundException(modelDir + ": no " + TOKENIZER_FILE + "; a Hugging Face model directory"
                    + " needs one to tokenize (download it with the weights)");
        }
        JsonNode root = readJson(file).orElseThrow();
        JsonNode tokenizerConfig = readJson(modelDir.resolve("tokenizer_config.json")).orElse(null);
        JsonNode modelConfig = readJson(modelDir.resolve("config.json")).orElse(null);
        return build(file, root, tokenizerConfig, modelConfig);
    }

    static HfTokenizer build(Path file, JsonNode root, JsonNode tokenizerConfig, JsonNode modelConfig) {
        HfComponents components = new HfComponents(file);
        JsonNode model = root.get("model");
        if (model == null || !model.isObject()) {
            throw components.format("no \"model\" object");
        }
        String type = model.path("type").asText("BPE");
        if (!type.equals("BPE")) {
            throw components.unsupported("model", type, "BPE");
        }
        for (String key : List.of("continuing_subword_prefix", "end_of_word_suffix")) {
            if (!model.path(key).asText("").isEmpty()) {
                throw components.unsupported("BPE " + key, model.get(key).asText(), "none (empty)");
            }
        }
        if (model.hasNonNull("dropout") && model.get("dropout").asDouble() > 0) {
            throw components.unsupported("BPE dropout", model.get("dropout").asText(), "none (it makes encoding random)");
        }
        Map<String, Integer> vocab = vocab(components, model);
        List<AddedTokens.Token> added = addedTokens(components, root.get("added_tokens"));
        int size = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        for (AddedTokens.Token t : added) {
            size = Math.max(size, t.id() + 1);
        }
        String[] pieces = new String[size];
        vocab.forEach((piece, id) -> pieces[id] = piece);
        Map<String, Integer> byContent = new HashMap<>(vocab);
        for (AddedTokens.Token t : added) {
            pieces[t.id()] = t.content();
            byContent.put(t.content(), t.id());
        }
        BpeMerges merges = merges(components, model.get("merges"), vocab);
        int unk = -1;
        if (model.hasNonNull("unk_token")) {
            String unkToken = model.get("unk_token").asText();
            unk = Optional.ofNullable(vocab.get(unkToken)).orElseThrow(() ->
                    components.format("BPE unk_token '" + unkToken + "' is not in the vocabulary"));
        }
        BpeModel bpe = new BpeModel(vocab, merges, new BpeModel.Options(model.path("ignore_merges").asBoolean(false),
                model.path("byte_fallback").asBoolean(false), unk, model.path("fuse_unk").asBoolean(false)));
        HfPostProcessor post = HfPostProcessor.read(components, root.get("post_processor"), byContent);
        HfTokenizer.Specials specials = specials(tokenizerConfig, modelConfig, byContent, added, post, size);
        return new HfTokenizer(pieces, added, components.normalizer(root.get("normalizer")),
                components.preTokenizer(root.get("pre_tokenizer")), bpe,
                new HfDecoder(components.decoder(root.get("decoder"))), specials);
    }

    private static Map<String, Integer> vocab(HfComponents components, JsonNode model) {
        JsonNode node = model.get("vocab");
        if (node == null || !node.isObject()) {
            throw components.format("BPE model has no \"vocab\" object");
        }
        Map<String, Integer> vocab = new HashMap<>(node.size() * 2);
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            int id = e.getValue().asInt(-1);
            if (!e.getValue().isIntegralNumber() || id < 0 || id > 10_000_000) {
                throw components.format("vocab entry '" + e.getKey() + "' has id " + e.getValue()
                        + ", not a token id");
            }
            vocab.put(e.getKey(), id);
        }
        return vocab;
    }

    /** Merges as {@code "a b"} strings (older files) or {@code ["a", "b"]} pairs; rank = position. */
    private static BpeMerges merges(HfComponents components, JsonNode node, Map<String, Integer> vocab) {
        if (node == null || node.isNull()) {
            return new BpeMerges(0);
        }
        BpeMerges merges = new BpeMerges(node.size());
        for (int rank = 0; rank < node.size(); rank++) {
            JsonNode m = node.get(rank);
            String left;
            String right;
            if (m.isTextual() && m.asText().indexOf(' ') > 0) {
                String s = m.asText();
                left = s.substring(0, s.indexOf(' '));
                right = s.substring(s.indexOf(' ') + 1);
            } else if (m.isArray() && m.size() == 2) {
                left = m.get(0).asText();
                right = m.get(1).asText();
            } else {
                throw components.format("merges[" + rank + "] = " + m + " is neither \"a b\" nor [\"a\", \"b\"]");
            }
            Integer l = vocab.get(left);
            Integer r = vocab.get(right);
            Integer result = vocab.get(left + right);
            if (l == null || r == null || result == null) {
                throw components.format("merges[" + rank + "] = " + m + " names a token outside the vocabulary");
            }
            merges.add(l, r, result);
        }
        return merges;
    }

    private static List<AddedTokens.Token> addedTokens(HfComponents components, JsonNode node) {
        List<AddedTokens.Token> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        for (JsonNode t : node) {
            int id = t.path("id").asInt(-1);
            if (id < 0) {
                throw components.format("added token " + t + " has no id");
            }
            out.add(new AddedTokens.Token(id, components.text(t, "content", "added token " + id),
                    t.path("special").asBoolean(false), t.path("single_word").asBoolean(false),
                    t.path("lstrip").asBoolean(false), t.path("rstrip").asBoolean(false),
                    t.path("normalized").asBoolean(!t.path("special").asBoolean(false))));
        }
        return out;
    }

    private static HfTokenizer.Specials specials(JsonNode tokenizerConfig, JsonNode modelConfig,
                                                 Map<String, Integer> byContent, List<AddedTokens.Token> added,
                                                 HfPostProcessor post, int size) {
        int bos = tokenId(tokenizerConfig, "bos_token", byContent)
                .or(() -> configIds(modelConfig, "bos_token_id", size).stream().findFirst())
                .orElse(post.prefix().length == 1 ? post.prefix()[0] : -1);
        List<Integer> configEos = configIds(modelConfig, "eos_token_id", size);
        int eos = tokenId(tokenizerConfig, "eos_token", byContent)
                .or(() -> configEos.stream().findFirst()).orElse(-1);
        Set<Integer> eog = new HashSet<>(configEos);
        if (eos >= 0) {
            eog.add(eos);
        }
        for (AddedTokens.Token t : added) {
            if (t.special() && LlamaCppTokenRules.isEndOfGenerationText(t.content())) {
                eog.add(t.id());
            }
        }
        return new HfTokenizer.Specials(bos, eos, Set.copyOf(eog), post.prefix(), post.suffix());
    }

    /** A token named in tokenizer_config.json: a string, or an object with {@code content}. */
    private static Optional<Integer> tokenId(JsonNode config, String key, Map<String, Integer> byContent) {
        if (config == null || !config.hasNonNull(key)) {
            return Optional.empty();
        }
        JsonNode v = config.get(key);
        String content = v.isTextual() ? v.asText() : v.path("content").asText(null);
        return Optional.ofNullable(content).map(byContent::get);
    }

    /** An id or a list of ids in config.json, in range. */
    private static List<Integer> configIds(JsonNode config, String key, int size) {
        List<Integer> ids = new ArrayList<>();
        if (config != null && config.hasNonNull(key)) {
            JsonNode v = config.get(key);
            (v.isArray() ? v : JSON.createArrayNode().add(v)).forEach(n -> {
                if (n.isIntegralNumber() && n.asInt() >= 0 && n.asInt() < size) {
                    ids.add(n.asInt());
                }
            });
        }
        return ids;
    }

    /** The parsed file, or empty if it does not exist. */
    static Optional<JsonNode> readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(file.toFile()));
        } catch (JacksonException e) {
            throw new ModelFormatException(file + ": not valid JSON (" + e.getOriginalMessage() + " at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + "); download the file again", e);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }
}
