package dev.llmlab.generate;

import dev.llmlab.kernels.KernelRegistry;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.model.Session;
import dev.llmlab.testing.LlamaCppRounding;
import dev.llmlab.testing.QuantFixtures;
import dev.llmlab.testing.QuantFixtures.QuantModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each fixture model (one per quantization type, made by llama.cpp's quantizer) generates llama.cpp's 24
 * greedy tokens from the recorded prompt ids, except that it may part ways after a near-tie.
 * <p>
 * Why ties happen: llama.cpp rounds activations to 8 bits (or fp16) before each product with quantized
 * weights, llmlab keeps them in float. With random weights the next-token distribution is flat, so that
 * rounding alone can swap two near-equal candidates. {@link LlamaCppRounding} applies llama.cpp's activation
 * rounding around llmlab's kernels, which removes the difference.
 * <p>
 * Near-tie, precisely: let s be the first step where llmlab's greedy token differs from llama.cpp's (every
 * earlier step agrees, the prefix being the same). The split is allowed only if llama.cpp's token trails
 * llmlab's choice by at most {@link #NEAR_TIE_GAP} in llmlab's logits, and by no more than llama.cpp's
 * rounding moves logit differences at that very step ({@link #roundingSwing}: rounding alone can swap the
 * two). Nothing after s is compared (the continuations condition on different tokens). A wrong decoder or
 * kernel changes logits by whole units from the first token on (all 28 decoded tensors are also checked bit
 * for bit against llama.cpp in {@code QuantFixtureDecodeTest}).
 */
class QuantFixtureGreedyTest {
    /**
     * Largest logit gap called a near-tie. The logits of these models spread with a standard deviation of
     * about 8; llama.cpp's activation rounding (measured with {@link LlamaCppRounding} on these fixtures) moves
     * the difference between two of them by up to 0.06 (F16) to 1.9 (IQ4_XS) within 24 steps.
     */
    static final float NEAR_TIE_GAP = 1.0f;

    static List<QuantModel> models() {
        return QuantFixtures.models();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void generatesLlamaCppGreedyTokensUntilANearTie(QuantModel fixture) {
        KernelRegistry shipped = KernelRegistry.best();
        List<float[]> ours = teacherForcedLogits(fixture, shipped);
        int[] expected = fixture.generatedIds();
        for (int step = 0; step < expected.length; step++) {
            int token = argmax(ours.get(step));
            if (token != expected[step]) {
                float gap = gap(ours.get(step), expected[step]);
                List<float[]> rounded = teacherForcedLogits(fixture, LlamaCppRounding.around(shipped));
                double swing = roundingSwing(ours.get(step), rounded.get(step), expected[step]);
                System.out.printf("%s: parts from llama.cpp at step %d: %d instead of %d, logit gap %.4f,"
                        + " rounding swing %.4f%n", fixture, step, token, expected[step], gap, swing);
                assertThat(gap).as("%s step %d: ours %d, llama.cpp %d: logit gap", fixture, step, token,
                        expected[step]).isLessThanOrEqualTo(NEAR_TIE_GAP);
                assertThat((double) gap).as("%s step %d: logit gap vs how far llama.cpp's rounding moves logits"
                        + " there", fixture, step).isLessThanOrEqualTo(swing);
                return; // nothing after the split is compared
            }
        }
    }

    /**
     * How far llama.cpp's activation rounding moves the logits' differences at one step: the largest change,
     * over every token j, of {@code logit[j] - logit[expected]} between float and rounded activations.
     */
    static double roundingSwing(float[] ours, float[] rounded, int expected) {
        double swing = 0;
        for (int j = 0; j < ours.length; j++) {
            swing = Math.max(swing, Math.abs((ours[j] - ours[expected]) - (rounded[j] - rounded[expected])));
        }
        return swing;
    }

    /** Logits before each of the 24 steps, the prefix always being llama.cpp's tokens. */
    private static List<float[]> teacherForcedLogits(QuantModel fixture, KernelRegistry kernels) {
        try (LocalModel model = LocalModel.load(fixture.file(),
                LoadOptions.defaults().withThreads(1).withKernels(kernels).withContextLength(64))) {
            Session session = model.newSession();
            List<float[]> logits = new ArrayList<>();
            logits.add(session.ingest(fixture.promptIds()).clone());
            int[] expected = fixture.generatedIds();
            for (int step = 0; step + 1 < expected.length; step++) {
                logits.add(session.next(expected[step]).clone());
            }
            return logits;
        }
    }

    /** How far {@code token} trails the best logit. */
    private static float gap(float[] logits, int token) {
        return logits[argmax(logits)] - logits[token];
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
