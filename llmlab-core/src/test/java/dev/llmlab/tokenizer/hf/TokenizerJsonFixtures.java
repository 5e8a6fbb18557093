package dev.llmlab.tokenizer.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufMetadata;
import dev.llmlab.io.LoadMode;
import dev.llmlab.testing.Fixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * tokenizer.json files for the tests: the real GPT-2 one from ../shared/fixtures/hf, and ones written here from
 * llama.cpp's conformance vocabularies in the layouts Hugging Face publishes (Llama 3, Qwen2, Llama 2 with
 * Prepend+Replace normalizers and byte fallback, TinyLlama/Mistral with a Metaspace pre-tokenizer). Each lives in
 * its own directory under a temporary root, written once per test run.
 */
final class TokenizerJsonFixtures {
    static final String LLAMA3_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String QWEN2_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final List<String> NAMES = List.of("gpt2", "llama3", "qwen2", "llama2-spm", "tinyllama-metaspace");

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Map<String, Path> DIRS = new ConcurrentHashMap<>();
    private static final Path ROOT;

    static {
        try {
            ROOT = Files.createTempDirectory("llmlab-tokenizer-json");
            ROOT.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TokenizerJsonFixtures() {
    }

    /** The model directory holding tokenizer.json {@code name} (one of {@link #NAMES}). */
    static Path dir(String name) {
        return DIRS.computeIfAbsent(name, TokenizerJsonFixtures::write);
    }

    private static Path write(String name) {
        if (name.equals("gpt2")) {
            return Fixtures.sharedFile("fixtures/hf/tiny-gpt2/tokenizer.json").getParent();
        }
        ObjectNode root = switch (name) {
            case "llama3" -> byteLevel("llama-bpe", LLAMA3_REGEX, true, null);
            case "qwen2" -> byteLevel("qwen2", QWEN2_REGEX, false, F.objectNode().put("type", "NFC"));
            case "llama2-spm" -> sentencePiece(false);
            case "tinyllama-metaspace" -> sentencePiece(true);
            default -> throw new IllegalArgumentException(name);
        };
        try {
            Path dir = Files.createDirectories(ROOT.resolve(name));
            new ObjectMapper().writeValue(dir.resolve("tokenizer.json").toFile(), root);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GgufMetadata vocab(String name) {
        try (GgufFile f = GgufFile.open(Fixtures.sharedFile("fixtures/vocab/ggml-vocab-" + name + ".gguf"),
                LoadMode.READ)) {
            return f.metadata();
        }
    }

    /** Llama 3 / Qwen2 layout: Split(regex) then ByteLevel without its own regex, control tokens as added. */
    private static ObjectNode byteLevel(String vocabName, String regex, boolean bosTemplate, ObjectNode normalizer) {
        GgufMetadata md = vocab(vocabName);
        List<String> tokens = md.stringArray("tokenizer.ggml.tokens");
        int[] types = md.optIntArray("tokenizer.ggml.token_type").orElseThrow();
        ObjectNode root = F.objectNode();
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode vocab = F.objectNode();
        for (int id = 0; id < tokens.size(); id++) {
            if (types[id] == 3 || types[id] == 4) {
                added.addObject().put("id", id).put("content", tokens.get(id)).put("single_word", false)
                        .put("lstrip", false).put("rstrip", false).put("normalized", types[id] == 4)
                        .put("special", types[id] == 3);
            }
            vocab.put(tokens.get(id), id);
        }
        root.set("normalizer", normalizer);
        ObjectNode pre = root.putObject("pre_tokenizer").put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        steps.addObject().put("type", "Split").put("behavior", "Isolated").put("invert", false)
                .putObject("pattern").put("Regex", regex);
        steps.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true)
                .put("use_regex", false);
        if (bosTemplate) {
            int bos = (int) md.integer("tokenizer.ggml.bos_token_id");
            root.set("post_processor", template(tokens.get(bos), bos));
        } else {
            root.putObject("post_processor").put("type", "ByteLevel").put("add_prefix_space", false)
                    .put("trim_offsets", false).put("use_regex", false);
        }
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode model = root.putObject("model").put("type", "BPE").putNull("dropout").putNull("unk_token")
                .put("fuse_unk", false).put("byte_fallback", false).put("ignore_merges", bosTemplate);
        model.set("vocab", vocab);
        ArrayNode merges = model.putArray("merges");
        for (String m : md.stringArray("tokenizer.ggml.merges")) {
            int space = m.indexOf(' ', 1);
            merges.addArray().add(m.substring(0, space)).add(m.substring(space + 1));
        }
        return root;
    }

    /**
     * Llama 2 layout (Prepend "▁" + Replace " " -> "▁" normalizers, no pre-tokenizer) or, with {@code metaspace},
     * the newer TinyLlama/Mistral one (Metaspace pre-tokenizer, prepend_scheme "first"). Merges come from the
     * SentencePiece scores as transformers' converter derives them: every split of a piece into two pieces,
     * ordered by the merged piece's score.
     */
    private static ObjectNode sentencePiece(boolean metaspace) {
        GgufMetadata md = vocab("llama-spm");
        List<String> tokens = md.stringArray("tokenizer.ggml.tokens");
        float[] scores = md.optFloatArray("tokenizer.ggml.scores").orElseThrow();
        int[] types = md.optIntArray("tokenizer.ggml.token_type").orElseThrow();
        Map<String, Integer> ids = new HashMap<>();
        for (int id = 0; id < tokens.size(); id++) {
            ids.put(tokens.get(id), id);
        }
        ObjectNode root = F.objectNode();
        ArrayNode added = root.putArray("added_tokens");
        for (int id : new int[] {0, 1, 2}) {
            added.addObject().put("id", id).put("content", tokens.get(id)).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        if (metaspace) {
            root.putNull("normalizer");
            root.putObject("pre_tokenizer").put("type", "Metaspace").put("replacement", "▁")
                    .put("prepend_scheme", "first").put("split", false);
            root.putObject("decoder").put("type", "Sequence").putArray("decoders")
                    .add(F.objectNode().put("type", "ByteFallback"))
                    .add(F.objectNode().put("type", "Metaspace").put("replacement", "▁")
                            .put("prepend_scheme", "first").put("split", false))
                    .add(F.objectNode().put("type", "Fuse"));
        } else {
            ArrayNode norms = root.putObject("normalizer").put("type", "Sequence").putArray("normalizers");
            norms.addObject().put("type", "Prepend").put("prepend", "▁");
            norms.addObject().put("type", "Replace").put("content", "▁").putObject("pattern").put("String", " ");
            root.putNull("pre_tokenizer");
            ArrayNode decs = root.putObject("decoder").put("type", "Sequence").putArray("decoders");
            decs.addObject().put("type", "Replace").put("content", " ").putObject("pattern").put("String", "▁");
            decs.addObject().put("type", "ByteFallback");
            decs.addObject().put("type", "Fuse");
            decs.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        }
        root.set("post_processor", template(tokens.get(1), 1));
        ObjectNode model = root.putObject("model").put("type", "BPE").putNull("dropout").put("unk_token", "<unk>")
                .put("fuse_unk", true).put("byte_fallback", true).put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < tokens.size(); id++) {
            vocab.put(tokens.get(id), id);
        }
        record Merge(String left, String right, float score) {
        }
        List<Merge> merges = new ArrayList<>();
        for (int id = 0; id < tokens.size(); id++) {
            if (types[id] != 1) {
                continue;
            }
            String piece = tokens.get(id);
            List<Merge> local = new ArrayList<>();
            for (int i = 1; i < piece.length(); i++) {
                String l = piece.substring(0, i);
                String r = piece.substring(i);
                if (ids.containsKey(l) && ids.containsKey(r)) {
                    local.add(new Merge(l, r, scores[id]));
                }
            }
            local.sort(Comparator.comparingInt((Merge m) -> ids.get(m.left())).thenComparingInt(m -> ids.get(m.right())));
            merges.addAll(local);
        }
        merges.sort(Comparator.comparingDouble((Merge m) -> m.score()).reversed()); // stable, as Python's sort
        ArrayNode mergeArray = model.putArray("merges");
        merges.forEach(m -> mergeArray.addArray().add(m.left()).add(m.right()));
        return root;
    }

    private static ObjectNode template(String bosText, int bos) {
        ObjectNode post = F.objectNode().put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", bosText).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", bosText).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", bosText).put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode specials = post.putObject("special_tokens");
        ObjectNode b = specials.putObject(bosText).put("id", bosText);
        b.putArray("ids").add(bos);
        b.putArray("tokens").add(bosText);
        return post;
    }
}
