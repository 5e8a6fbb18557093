package dev.llmlab.quant;

import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.tensor.ComputePool;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class QualityReportTest {
    private static final String TEXT = "Once upon a time, there was a little girl named Lily. She loved to play outside "
            + "in the park with her friends. One day, she saw a big red ball under a tree.";

    @Test
    void klDivergenceOfKnownDistributions() {
        float[] p = {(float) Math.log(0.5), (float) Math.log(0.5)};
        float[] q = {(float) Math.log(0.9), (float) Math.log(0.1)};
        double expected = 0.5 * Math.log(0.5 / 0.9) + 0.5 * Math.log(0.5 / 0.1);
        assertThat(QualityReport.klDivergence(p, QualityReport.logNormalizer(p), q, QualityReport.logNormalizer(q)))
                .isCloseTo(expected, within(1e-6));
        // shifting logits does not change the distribution
        float[] shifted = {p[0] + 7f, p[1] + 7f};
        assertThat(QualityReport.klDivergence(p, QualityReport.logNormalizer(p), shifted,
                QualityReport.logNormalizer(shifted))).isCloseTo(0.0, within(1e-7));
    }

    /** On stories260K (a trained model): F32 is identical, and more bits mean a smaller divergence. */
    @Test
    void moreBitsDivergeLess() {
        Path file = Fixtures.sharedFile("models/stories260K.gguf");
        LoadOptions options = LoadOptions.defaults().withThreads(2);
        try (GgufFile in = GgufFile.open(file, LoadMode.READ); LocalModel original = LocalModel.load(file, options);
             ComputePool pool = ComputePool.ofThreads(2)) {
            int[] tokens = original.tokenizer().encode(TEXT, true, false);
            QualityReport.Reference ref = QualityReport.reference(original, tokens);
            GgufModel source = GgufModel.of(in);
            QualityReport.Row f32 = row(source, QuantTarget.F32, ref, options, pool);
            QualityReport.Row f16 = row(source, QuantTarget.F16, ref, options, pool);
            QualityReport.Row q8 = row(source, QuantTarget.Q8_0, ref, options, pool);
            QualityReport.Row q4 = row(source, QuantTarget.Q4_0, ref, options, pool);
            // Same weights; not exactly 0 because the Vector API's lane reductions may add in another order once
            // the JIT compiles them, so logits can differ in the last bits between two runs of one model.
            assertThat(f32.meanKlDivergence()).isLessThan(1e-9);
            assertThat(f32.top1Agreement()).isEqualTo(1.0);
            assertThat(f32.positions()).isEqualTo(tokens.length);
            assertThat(f32.bitsPerWeight()).isEqualTo(32.0);
            assertThat(f16.meanKlDivergence()).isPositive().isLessThan(q8.meanKlDivergence());
            assertThat(q8.meanKlDivergence()).isLessThan(q4.meanKlDivergence());
            assertThat(q4.meanKlDivergence()).isLessThan(0.5);
            assertThat(q8.top1Agreement()).isGreaterThan(0.9);
            assertThat(q4.bitsPerWeight()).isLessThan(q8.bitsPerWeight()).isLessThan(f16.bitsPerWeight());
            assertThat(q4.fileSizeBytes()).isLessThan(q8.fileSizeBytes());
        }
    }

    private static QualityReport.Row row(GgufModel source, QuantTarget target, QualityReport.Reference ref,
                                         LoadOptions options, ComputePool pool) {
        GgufModel q = Quantizer.quantize(source, target, pool, Quantizer.Progress.NONE).model();
        return QualityReport.measure(target.name(), q, ref, options);
    }
}
