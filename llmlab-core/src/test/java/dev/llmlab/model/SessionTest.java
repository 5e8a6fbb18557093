package dev.llmlab.model;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.synth.ModelShape;
import dev.llmlab.synth.SyntheticModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Batched prompt processing must compute exactly what token-by-token processing computes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionTest {
    private LocalModel model;

    @BeforeAll
    void load(@TempDir Path dir) {
        Path file = dir.resolve("tiny.gguf");
        SyntheticModel.write(file, ModelShape.preset("tiny"), GgmlType.Q8_0, 99);
        model = LocalModel.load(file, LoadOptions.defaults().withThreads(2).withContextLength(160));
    }

    @AfterAll
    void close() {
        model.close();
    }

    private static int[] randomTokens(int n, long seed) {
        Random r = new Random(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = 3 + r.nextInt(500);
        }
        return t;
    }

    @Test
    void batchedPromptEqualsOneTokenAtATime() {
        // 150 tokens: more than two batches of Session.MAX_BATCH, ending in a partial one
        int[] tokens = randomTokens(150, 1);
        Session batched = model.newSession();
        float[] a = batched.ingest(tokens).clone();
        Session single = model.newSession();
        float[] b = null;
        for (int t : tokens) {
            b = single.next(t);
        }
        assertThat(batched.position()).isEqualTo(150);
        assertThat(single.position()).isEqualTo(150);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("logit %d", i).isCloseTo(b[i], within(1e-3f + 1e-3f * Math.abs(b[i])));
        }
    }

    @Test
    void continuingAfterAPromptEqualsProcessingItWhole() {
        int[] tokens = randomTokens(20, 2);
        Session whole = model.newSession();
        float[] a = whole.ingest(tokens).clone();
        Session split = model.newSession();
        split.ingest(java.util.Arrays.copyOf(tokens, 12));
        float[] b = split.ingest(java.util.Arrays.copyOfRange(tokens, 12, 20));
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).isCloseTo(b[i], within(1e-3f + 1e-3f * Math.abs(b[i])));
        }
    }

    @Test
    void resetForgetsTheSequence() {
        Session s = model.newSession();
        float[] first = s.ingest(randomTokens(5, 3)).clone();
        s.ingest(randomTokens(7, 4));
        s.reset();
        assertThat(s.position()).isZero();
        assertThat(s.ingest(randomTokens(5, 3))).containsExactly(first);
    }

    @Test
    void refusesWhatDoesNotFit() {
        Session s = model.newSession();
        assertThatThrownBy(() -> s.ingest(randomTokens(161, 5))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("context full").hasMessageContaining("--context");
        assertThatThrownBy(() -> s.ingest(new int[]{512})).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("outside the vocabulary");
        assertThatThrownBy(() -> s.ingest(new int[0])).isInstanceOf(InvalidRequestException.class);
        assertThat(s.position()).isZero();
    }

    @Test
    void aKvCacheThatCannotFitIsRefusedWithTheFix() {
        assertThatThrownBy(() -> model.transformer().newSession(Integer.MAX_VALUE))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("KV cache")
                .hasMessageContaining("--context");
    }
}
