package dev.llmlab.model;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufWriter;
import dev.llmlab.io.LoadMode;
import dev.llmlab.synth.ModelShape;
import dev.llmlab.synth.SyntheticModel;
import dev.llmlab.testing.SharpAttention;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Sliding-window attention (Mistral): in a one-layer model, keys and values depend only on their own token, and
 * RoPE scores depend only on relative positions; so with a window of W, the logits after a long sequence equal those
 * of a fresh session given only its last W tokens. Without the window they differ.
 */
class SlidingWindowTest {
    private static final int WINDOW = 8;

    @TempDir
    Path dir;

    @Test
    void windowedLogitsEqualThoseOfTheLastWindowAlone() {
        ModelShape shape = ModelShape.parseDims("arch=llama,d=64,layers=1,heads=4,kv=2,ffn=128,vocab=512,ctx=256");
        Path windowed = write(shape, "windowed.gguf", WINDOW);
        Path full = write(shape, "full.gguf", 0);
        int[] tokens = new Random(5).ints(40, 3, 500).toArray();
        int[] lastWindow = Arrays.copyOfRange(tokens, tokens.length - WINDOW, tokens.length);
        LoadOptions options = LoadOptions.defaults().withThreads(2);
        try (LoadedTransformer w = LoadedTransformer.load(open(windowed), options);
             LoadedTransformer f = LoadedTransformer.load(open(full), options)) {
            assertThat(w.transformer().config().slidingWindow()).isEqualTo(WINDOW);
            float[] long_ = w.transformer().newSession(64).ingest(tokens).clone();
            float[] short_ = w.transformer().newSession(64).ingest(lastWindow).clone();
            float[] unwindowed = f.transformer().newSession(64).ingest(tokens).clone();
            float maxDiff = 0;
            for (int i = 0; i < long_.length; i++) {
                assertThat(long_[i]).isCloseTo(short_[i], within(1e-4f));
                maxDiff = Math.max(maxDiff, Math.abs(unwindowed[i] - short_[i]));
            }
            assertThat(maxDiff).as("the window must matter for this model").isGreaterThan(1e-2f);
        }
    }

    private static Checkpoint open(Path file) {
        return GgufCheckpoint.open(file, LoadMode.READ, ArchitectureRegistry.defaults());
    }

    /** The synthetic model with sharp attention (q/k x10), and the window in its metadata when > 0. */
    private Path write(ModelShape shape, String name, int window) {
        GgufWriter base = SyntheticModel.writer(shape, GgmlType.F32, 42);
        GgufWriter.Builder b = SharpAttention.copy(base);
        if (window > 0) {
            b.putUint32("llama.attention.sliding_window", window);
        }
        Path file = dir.resolve(name);
        b.build().write(file);
        return file;
    }
}
