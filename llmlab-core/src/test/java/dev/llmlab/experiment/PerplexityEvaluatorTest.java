package dev.llmlab.experiment;

import dev.llmlab.error.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The chunking and scoring arithmetic of llama.cpp's perplexity, on made-up logits. */
class PerplexityEvaluatorTest {
    private static final int VOCAB = 10;
    private static final int BOS = 1;

    /** Records what was evaluated; its logits give the target a known advantage. */
    private static final class FakeScorer implements LogitsScorer {
        final List<int[]> evaluated = new ArrayList<>();
        final List<Integer> firstOutputs = new ArrayList<>();
        final List<Integer> outputs = new ArrayList<>();

        @Override
        public void score(int[] tokens, int firstOutput, dev.llmlab.model.Session.LogitsSink sink) {
            evaluated.add(tokens.clone());
            firstOutputs.add(firstOutput);
            float[] logits = new float[VOCAB];
            for (int i = firstOutput; i < tokens.length; i++) {
                // uniform logits: every token has probability 1/VOCAB
                Arrays.fill(logits, 0.5f);
                outputs.add(i);
                sink.accept(i, logits);
            }
        }
    }

    private static int[] text(int length) {
        return IntStream.range(0, length).map(i -> i == 0 ? BOS : 2 + i % 7).toArray();
    }

    @Test
    void cutsConsecutiveChunksReplacesTheirFirstTokenByBosAndScoresTheSecondHalf() {
        FakeScorer scorer = new FakeScorer();
        int[] tokens = text(70); // 4 chunks of 16, 6 tokens left over
        PerplexityResult r = new PerplexityEvaluator(scorer, () -> 0L).chunked(tokens, 16, BOS, 0, (d, t, p) -> { });

        assertThat(r.chunks()).isEqualTo(70 / 16);
        assertThat(scorer.evaluated).hasSize(4);
        for (int c = 0; c < 4; c++) {
            int[] chunk = scorer.evaluated.get(c);
            assertThat(chunk[0]).as("chunk %d starts with BOS", c).isEqualTo(BOS);
            assertThat(Arrays.copyOfRange(chunk, 1, chunk.length))
                    .isEqualTo(Arrays.copyOfRange(tokens, c * 16 + 1, c * 16 + 15));
            assertThat(scorer.firstOutputs.get(c)).isEqualTo(8);
        }
        // n_ctx - n_ctx/2 - 1 scored tokens per chunk, as llama.cpp counts them
        assertThat(r.scoredTokens()).isEqualTo(4 * (16 - 8 - 1));
        assertThat(r.perplexity()).isCloseTo(VOCAB, within(1e-9));
        assertThat(r.uncertainty()).isCloseTo(0, within(1e-6));
        assertThat(r.runningPerplexity()).hasSize(4);
        assertThat(r.method()).isEqualTo(PerplexityEvaluator.LLAMA_CPP);
    }

    @Test
    void oddContextsScoreFromHalfRoundedDownAndChunksCanBeLimited() {
        FakeScorer scorer = new FakeScorer();
        PerplexityResult r = new PerplexityEvaluator(scorer, () -> 0L).chunked(text(60), 9, -1, 2, (d, t, p) -> { });
        assertThat(r.chunks()).isEqualTo(2);
        assertThat(scorer.firstOutputs).containsOnly(4);
        assertThat(r.scoredTokens()).isEqualTo(2 * (9 - 4 - 1));
        assertThat(scorer.evaluated.get(1)[0]).as("no BOS: the chunk keeps its first token").isEqualTo(text(60)[9]);
    }

    @Test
    void refusesTextsShorterThanTwoContextsAsLlamaCppDoes() {
        PerplexityEvaluator evaluator = new PerplexityEvaluator(new FakeScorer(), () -> 0L);
        assertThatThrownBy(() -> evaluator.chunked(text(31), 16, BOS, 0, (d, t, p) -> { }))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("only 31 tokens").hasMessageContaining("at least 2 x context = 32");
    }

    @Test
    void negativeLogLikelihoodIsMinusLogSoftmax() {
        float[] logits = {1f, 2f, 3f, -4f};
        double sum = Math.exp(1) + Math.exp(2) + Math.exp(3) + Math.exp(-4);
        assertThat(PerplexityEvaluator.negativeLogLikelihood(logits, 1)).isCloseTo(-Math.log(Math.exp(2) / sum),
                within(1e-6));
        assertThat(PerplexityEvaluator.negativeLogLikelihood(new float[]{1000f, 0f}, 1)).isCloseTo(1000,
                within(1e-3));
    }

    @Test
    void slidingWindowScoresEveryTokenOnceWithTheWindowBeforeItAsContext() {
        FakeScorer scorer = new FakeScorer();
        int[] tokens = text(50);
        PerplexityResult r = new PerplexityEvaluator(scorer, () -> 0L).slidingWindow(tokens, 16, 8, (d, t, p) -> { });

        // windows start at 0, 8, ..., 40 (the first to reach the end, as in Hugging Face's loop)
        assertThat(scorer.evaluated).hasSize(6);
        assertThat(r.chunks()).isEqualTo(6);
        assertThat(r.scoredTokens()).as("every token but the first").isEqualTo(49);
        assertThat(scorer.firstOutputs).containsExactly(0, 7, 7, 7, 7, 7);
        assertThat(scorer.evaluated.getLast()).hasSize(9); // tokens 40..48 predict 41..49
        assertThat(scorer.evaluated.get(1)[0]).as("no BOS replacement").isEqualTo(tokens[8]);
        assertThat(r.perplexity()).isCloseTo(VOCAB, within(1e-9));
    }

    @Test
    void slidingWindowWithStrideEqualToTheContextSkipsEachWindowsFirstToken() {
        FakeScorer scorer = new FakeScorer();
        PerplexityResult r = new PerplexityEvaluator(scorer, () -> 0L).slidingWindow(text(33), 16, 16,
                (d, t, p) -> { });
        // windows [0,16) [16,32) [32,33): 15 + 15 + 0 predictions, as Hugging Face's recipe counts them
        assertThat(r.scoredTokens()).isEqualTo(30);
        assertThatThrownBy(() -> new PerplexityEvaluator(scorer, () -> 0L).slidingWindow(text(33), 16, 17,
                (d, t, p) -> { })).isInstanceOf(InvalidRequestException.class).hasMessageContaining("stride");
    }
}
