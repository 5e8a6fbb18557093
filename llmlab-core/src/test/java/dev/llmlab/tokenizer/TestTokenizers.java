package dev.llmlab.tokenizer;

import dev.llmlab.gguf.GgufFile;
import dev.llmlab.io.LoadMode;
import dev.llmlab.testing.Fixtures;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Tokenizers of the shared GGUF files, loaded once per test run (they are immutable). */
final class TestTokenizers {
    private static final Map<String, Tokenizer> CACHE = new ConcurrentHashMap<>();

    private TestTokenizers() {
    }

    static SentencePieceTokenizer stories260K() {
        return load("models/stories260K.gguf");
    }

    /** A conformance vocabulary, e.g. {@code llama-spm}. */
    static SentencePieceTokenizer vocab(String name) {
        return load("fixtures/vocab/ggml-vocab-" + name + ".gguf");
    }

    static SentencePieceTokenizer load(String sharedPath) {
        return (SentencePieceTokenizer) any(sharedPath);
    }

    /** A byte-level BPE conformance vocabulary, e.g. {@code llama-bpe}. */
    static ByteLevelBpeTokenizer bpeVocab(String name) {
        return (ByteLevelBpeTokenizer) any("fixtures/vocab/ggml-vocab-" + name + ".gguf");
    }

    static Tokenizer any(String sharedPath) {
        return CACHE.computeIfAbsent(sharedPath, p -> {
            try (GgufFile file = GgufFile.open(Fixtures.sharedFile(p), LoadMode.READ)) {
                return GgufTokenizerLoader.load(file.metadata());
            }
        });
    }
}
