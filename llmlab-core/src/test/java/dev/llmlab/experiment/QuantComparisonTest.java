package dev.llmlab.experiment;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.sampling.SamplingParams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class QuantComparisonTest {

    @Test
    void fewerBitsGiveSmallerFilesAndLessAgreementOnStories() {
        List<String> loaded = new ArrayList<>();
        LocalModelSource models = TestModels.source(Map.of(), List.of(TestModels.STORIES), loaded);
        ExperimentParams p = new ExperimentParams(null, SamplingParams.greedy(), 0, List.of(),
                Map.of("types", "Q8_0,q4_0", "bench-tokens", "0"));
        RecordingListener listener = new RecordingListener();

        ExperimentResult r = new QuantComparison().run(new ExperimentContext(() -> null, models, p, listener));

        @SuppressWarnings("unchecked")
        List<QuantComparison.Row> rows = (List<QuantComparison.Row>) r.details();
        assertThat(rows).extracting(QuantComparison.Row::type).containsExactly("original", "Q8_0", "Q4_0");
        QuantComparison.Row original = rows.get(0);
        QuantComparison.Row q8 = rows.get(1);
        QuantComparison.Row q4 = rows.get(2);
        assertThat(original.bitsPerWeight()).isCloseTo(32, within(0.01)); // stories260K is F32
        assertThat(original.sizeBytes()).isGreaterThan(q8.sizeBytes());
        assertThat(q8.sizeBytes()).isGreaterThan(q4.sizeBytes());
        assertThat(original.top1Agreement()).isEqualTo(1.0);
        assertThat(q8.meanKlDivergence()).isPositive().isLessThan(q4.meanKlDivergence());
        assertThat(q8.top1Agreement()).isGreaterThanOrEqualTo(q4.top1Agreement()).isGreaterThan(0.9);
        // Q8_0 is nearly lossless; the original's perplexity is experiment 6's on the same text and context
        assertThat(q8.perplexity()).isCloseTo(original.perplexity(), within(original.perplexity() * 0.01));
        try (var model = models.loadFirst()) {
            double expected = Perplexity.evaluate(model, QuantComparison.defaultText(), 128, 0, 0,
                    ExperimentListener.silent()).perplexity();
            assertThat(original.perplexity()).isCloseTo(expected, within(expected * 1e-6));
        }
        assertThat(r.metrics()).containsKeys("perplexity[original]", "top1_agreement[Q4_0]", "size_mb[Q8_0]");
        assertThat(listener.tables).singleElement().satisfies(t -> assertThat(t).hasSize(4));
        assertThat(listener.progress).contains("quantizing Q8_0 1000/1000");
        assertThat(models.usedFiles()).singleElement().satisfies(f -> assertThat(f.ref()).isEqualTo(TestModels.STORIES));
    }

    @Test
    void unknownTypesAreRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> QuantComparison.targets("Q8_0,Q9_9")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("unknown quantization 'Q9_9'").hasMessageContaining("Q4_K_M");
    }
}
