package dev.llmlab.experiment;

import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.model.Session;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Perplexity of stories260K on a short story, checked against an independent computation: the same chunks fed
 * token by token through {@link Session#next} (the single-token path, not the batched one), with a
 * straightforward double-precision softmax.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PerplexityStoriesTest {
    private static final int CONTEXT = 64;
    private LocalModel model;
    private String text;

    @BeforeAll
    void load() throws IOException {
        model = LocalModel.load(Fixtures.sharedFile("models/stories260K.gguf"),
                LoadOptions.defaults().withThreads(2).withContextLength(CONTEXT));
        try (InputStream in = getClass().getResourceAsStream("/texts/lily-and-the-ball.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
        }
    }

    @AfterAll
    void close() {
        model.close();
    }

    @Test
    void matchesANaivePerTokenReference() {
        PerplexityResult fast = Perplexity.evaluate(model, text, CONTEXT, 0, 0, ExperimentListener.silent());

        int[] tokens = model.tokenizer().encode(text, true, false);
        int bos = model.tokenizer().bosId().orElseThrow();
        assertThat(tokens[0]).isEqualTo(bos);
        int chunks = tokens.length / CONTEXT;
        double nll = 0;
        int count = 0;
        Session session = model.newSession();
        for (int c = 0; c < chunks; c++) {
            session.reset();
            for (int j = 0; j < CONTEXT - 1; j++) {
                int token = j == 0 ? bos : tokens[c * CONTEXT + j];
                float[] logits = session.next(token);
                if (j >= CONTEXT / 2) {
                    nll -= Math.log(softmax(logits)[tokens[c * CONTEXT + j + 1]]);
                    count++;
                }
            }
        }
        double reference = Math.exp(nll / count);

        assertThat(fast.chunks()).isEqualTo(chunks).isGreaterThanOrEqualTo(2);
        assertThat(fast.scoredTokens()).isEqualTo(count);
        assertThat(fast.textTokens()).isEqualTo(tokens.length);
        assertThat(fast.perplexity()).isCloseTo(reference, within(reference * 1e-4));
        // a trained model on its own kind of text: far better than guessing among 512 tokens
        assertThat(fast.perplexity()).isBetween(1.5, 20.0);
    }

    @Test
    void slidingWindowWithAFullStrideOverlapIsCloseToTheChunkedFigure() {
        PerplexityResult chunked = Perplexity.evaluate(model, text, CONTEXT, 0, 0, ExperimentListener.silent());
        PerplexityResult sliding = Perplexity.evaluate(model, text, CONTEXT, CONTEXT / 2, 0,
                ExperimentListener.silent());
        assertThat(sliding.method()).isEqualTo(PerplexityEvaluator.SLIDING_WINDOW);
        assertThat(sliding.scoredTokens()).isEqualTo(sliding.textTokens() - 1);
        // same model, same text, comparable context: different methods, same ballpark
        assertThat(sliding.perplexity()).isBetween(chunked.perplexity() / 2, chunked.perplexity() * 2);
    }

    private static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
