package dev.llmlab.sampling;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TopKTest {

    @Property(tries = 300)
    void matchesAFullSortByLogitThenId(@ForAll @IntRange(min = 1, max = 2000) int n,
                                       @ForAll @IntRange(min = 1, max = 300) int kWanted, @ForAll long seed) {
        int k = Math.min(kWanted, n);
        Random r = new Random(seed);
        float[] logits = new float[n];
        for (int i = 0; i < n; i++) {
            // few distinct values, so ties are common; some negative, some -inf
            logits[i] = r.nextInt(10) == 0 ? Float.NEGATIVE_INFINITY : (r.nextInt(40) - 20) / 4f;
        }
        int[] expected = IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -logits[i]).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).toArray();
        int[] actual = new int[n];
        ChainSampler.topK(logits, k, actual);
        assertThat(java.util.Arrays.copyOf(actual, k)).containsExactly(expected);
    }
}
