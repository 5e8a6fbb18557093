package dev.llmlab.sampling;

import dev.llmlab.error.InvalidRequestException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SamplerTest {

    private static float[] randomLogits(long seed, int n) {
        Random r = new Random(seed);
        float[] l = new float[n];
        for (int i = 0; i < n; i++) {
            l[i] = (float) r.nextGaussian() * 3;
        }
        return l;
    }

    @Test
    void greedyPicksTheArgmax() {
        float[] logits = {0.1f, 2.5f, -1f, 2.4f};
        assertThat(Sampler.of(SamplingParams.greedy()).sample(logits.clone(), new TokenHistory())).isEqualTo(1);
        assertThat(Sampler.of(SamplingParams.defaults().withTopK(1)).sample(logits.clone(), new TokenHistory()))
                .isEqualTo(1);
    }

    @Property
    void sameSeedGivesSameTokens(@ForAll long seed, @ForAll @FloatRange(min = 0.1f, max = 2f) float temperature) {
        SamplingParams p = SamplingParams.defaults().withTemperature(temperature).withSeed(seed);
        Sampler a = Sampler.of(p);
        Sampler b = Sampler.of(p);
        for (int step = 0; step < 20; step++) {
            float[] logits = randomLogits(step, 300);
            assertThat(a.sample(logits.clone(), new TokenHistory())).isEqualTo(b.sample(logits.clone(), new TokenHistory()));
        }
    }

    @Property
    void topKOnlyReturnsTheKMostLikely(@ForAll @IntRange(min = 1, max = 10) int k, @ForAll long seed) {
        float[] logits = randomLogits(seed, 200);
        float[] sorted = logits.clone();
        java.util.Arrays.sort(sorted);
        float kth = sorted[sorted.length - k];
        Sampler s = Sampler.of(new SamplingParams(1.5f, k, 1f, 0f, 1f, 64, seed));
        for (int i = 0; i < 50; i++) {
            int id = s.sample(logits.clone(), new TokenHistory());
            assertThat(logits[id]).isGreaterThanOrEqualTo(kth);
        }
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // probabilities ~ 0.64, 0.24, 0.09, 0.03: top-p 0.7 keeps the first two only
        float[] logits = {3f, 2f, 1f, 0f};
        Sampler s = Sampler.of(new SamplingParams(1f, 0, 0.7f, 0f, 1f, 64, 7));
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < 500; i++) {
            seen.add(s.sample(logits.clone(), new TokenHistory()));
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void minPDropsUnlikelyTokens() {
        float[] logits = {3f, 2.9f, 0f, -1f};
        Sampler s = Sampler.of(new SamplingParams(1f, 0, 1f, 0.5f, 1f, 64, 3));
        for (int i = 0; i < 300; i++) {
            assertThat(s.sample(logits.clone(), new TokenHistory())).isIn(0, 1);
        }
    }

    @Test
    void samplingFollowsTheDistribution() {
        float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2)};
        Sampler s = Sampler.of(new SamplingParams(1f, 0, 1f, 0f, 1f, 64, 11));
        int[] counts = new int[3];
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            counts[s.sample(logits.clone(), new TokenHistory())]++;
        }
        assertThat(counts[0] / (double) n).isBetween(0.48, 0.52);
        assertThat(counts[1] / (double) n).isBetween(0.28, 0.32);
        assertThat(counts[2] / (double) n).isBetween(0.18, 0.22);
    }

    @Test
    void repeatPenaltyDiscouragesRecentTokens() {
        float[] logits = {2f, 1.9f};
        TokenHistory h = new TokenHistory();
        h.add(0);
        Sampler s = Sampler.of(SamplingParams.greedy().withRepeatPenalty(1.2f, 64));
        assertThat(s.sample(logits.clone(), h)).isEqualTo(1);
        TokenHistory old = new TokenHistory();
        old.add(0);
        old.add(1);
        old.add(1);
        // only the last 2 tokens count: token 0 is outside the window, token 1 is penalised
        assertThat(Sampler.of(SamplingParams.greedy().withRepeatPenalty(1.2f, 2)).sample(logits.clone(), old))
                .isEqualTo(0);
    }

    @Test
    void presenceAndFrequencyPenaltiesSubtractAsOpenAiDefinesThem() {
        // OpenAI: logit[j] -= count[j] * frequency + (count[j] > 0) * presence, over the penalty window
        float[] logits = {2f, 1.5f, 1.0f, -0.5f};
        TokenHistory h = new TokenHistory();
        h.addAll(new int[]{3, 0, 0, 1});
        SamplingParams p = SamplingParams.greedy().withRepeatPenalty(1f, 3).withPenalties(0.1f, 0.4f);
        int chosen = Sampler.of(p).sample(logits, h);
        // token 3 is outside the last 3 tokens: untouched
        assertThat(logits).containsExactly(new float[]{2f - 2 * 0.4f - 0.1f, 1.5f - 0.4f - 0.1f, 1.0f, -0.5f},
                org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(chosen).isEqualTo(0);
        // a strong frequency penalty moves the choice to the unseen token
        float[] again = {2f, 1.5f, 1.0f, -0.5f};
        assertThat(Sampler.of(p.withPenalties(0f, 1f)).sample(again, h)).isEqualTo(2);
        // negative penalties favour repetition
        float[] favour = {1f, 1.5f, 1.6f, -0.5f};
        assertThat(Sampler.of(p.withPenalties(-0.5f, 0f)).sample(favour, h)).isEqualTo(1);
    }

    @Test
    void invalidParametersAreRefusedWithTheValue() {
        assertThatThrownBy(() -> SamplingParams.defaults().withTemperature(-1)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> SamplingParams.defaults().withTopP(0)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("top-p");
        assertThatThrownBy(() -> SamplingParams.defaults().withTopK(-3)).isInstanceOf(InvalidRequestException.class);
    }
}
