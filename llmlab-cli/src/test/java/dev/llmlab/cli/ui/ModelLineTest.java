package dev.llmlab.cli.ui;

import dev.llmlab.io.LoadMode;
import dev.llmlab.model.ModelInfo;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ModelLineTest {

    private static ModelInfo withContext(int context, int trained) {
        return new ModelInfo("stories260K", "llama", Path.of("stories260K.gguf"), 1_185_376, 292_928, Map.of(),
                context, trained, LoadMode.READ, Duration.ofMillis(35), 2, "vector");
    }

    @Test
    void aContextBeyondTheTrainedOneIsFlagged() {
        assertThat(ModelLine.describe(withContext(100_000, 2048), new Ansi(false)))
                .contains("context 100000 (beyond the 2048 it was trained on: quality may degrade)");
    }

    @Test
    void aContextWithinTheTrainedOneIsNot() {
        assertThat(ModelLine.describe(withContext(512, 2048), new Ansi(false)))
                .contains("context 512 ·").doesNotContain("beyond");
    }
}
