package dev.llmlab.modify;

import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.io.LoadMode;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the JUnit tests that modify stories260K (5 layers, dim 64, 8 heads, 4 KV heads, F32): opened once per class. */
abstract class OnStories {
    static GgufFile file;
    static GgufModel stories;

    @BeforeAll
    static void openStories() {
        file = GgufFile.open(Fixtures.sharedFile("models/stories260K.gguf"), LoadMode.READ);
        stories = GgufModel.of(file);
    }

    @AfterAll
    static void closeStories() {
        file.close();
    }
}
