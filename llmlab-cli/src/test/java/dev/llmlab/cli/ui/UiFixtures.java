package dev.llmlab.cli.ui;

import dev.llmlab.generate.FinishReason;
import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationResult;
import dev.llmlab.generate.Ticker;
import dev.llmlab.generate.Timings;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.ModelInfo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Values and helpers shared by the view tests. */
final class UiFixtures {
    private UiFixtures() {
    }

    static ModelInfo modelInfo() {
        return new ModelInfo("stories260K", "llama", Path.of("stories260K.gguf"), 1_185_376, 292_928,
                Map.of(GgmlType.F32, 48), 2048, 2048, LoadMode.READ, Duration.ofMillis(35), 4, "vector");
    }

    static GenerationEvent.Finished finished(String text, int tokens, String trailing) {
        Timings timings = new Timings(5, Duration.ofMillis(10), tokens, Duration.ofMillis(100),
                Duration.ofMillis(12), Duration.ofMillis(120));
        List<Integer> ids = java.util.stream.IntStream.range(0, tokens).boxed().toList();
        return new GenerationEvent.Finished(new GenerationResult(text, ids, FinishReason.MAX_TOKENS, timings,
                "llmlab-java"), trailing);
    }

    /** A clock the test moves by hand. */
    static final class ManualTicker implements Ticker {
        long nanos;

        @Override
        public long nanoTime() {
            return nanos;
        }

        void advance(Duration d) {
            nanos += d.toNanos();
        }
    }

    /** A PrintStream whose output the test reads back. */
    static final class Capture {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
