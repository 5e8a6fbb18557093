package dev.llmlab.system;

import dev.llmlab.error.InsufficientMemoryException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.ArchitectureRegistry;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.ModelConfig;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryCheckAndAlternativesTest {
    private static final Path STORIES = Fixtures.sharedFile("models/stories260K.gguf");
    private static final RuntimeProfile RUNTIME = new RuntimeProfile(50_000_000, 130_000_000, "test");

    private static FakeSystemSource machineWithAvailableKb(long kb) {
        return new FakeSystemSource()
                .file("/proc/meminfo", "MemTotal: 16000000 kB\nMemAvailable: " + kb + " kB\n")
                .file("/proc/self/status", "Name:\tjava\nVmRSS:\t 300000 kB\n");
    }

    @Test
    void refusesAModelThatCannotFitWithTheEstimateInTheMessage() {
        MemoryCheck check = new MemoryCheck(machineWithAvailableKb(1000), ArchitectureRegistry.defaults());
        assertThatThrownBy(() -> check.requireFits(STORIES, LoadOptions.defaults().withContextLength(128)))
                .isInstanceOf(InsufficientMemoryException.class)
                .hasMessageContaining("does not fit this machine at context 128")
                .hasMessageContaining("GB usable")
                .hasMessageContaining("llmlab fit");
    }

    @Test
    void letsAModelThatFitsThroughWithItsEstimate() {
        MemoryCheck check = new MemoryCheck(machineWithAvailableKb(16_000_000), ArchitectureRegistry.defaults());
        Optional<InferenceEstimate> estimate = check.requireFits(STORIES, LoadOptions.defaults().withContextLength(128));
        assertThat(estimate).isPresent();
        assertThat(estimate.get().term("KV cache")).isEqualTo(2L * 5 * 128 * 32 * 4);
    }

    @Test
    void huggingFaceDirectoriesAreCheckedTooAndMachinesWithoutProcAreNot() {
        Path gpt2 = Fixtures.sharedFile("fixtures/hf/tiny-gpt2/config.json").getParent();
        MemoryCheck check = new MemoryCheck(machineWithAvailableKb(1000), ArchitectureRegistry.defaults());
        assertThatThrownBy(() -> check.requireFits(gpt2, LoadOptions.defaults().withContextLength(64)))
                .isInstanceOf(InsufficientMemoryException.class).hasMessageContaining("tiny-gpt2");
        MemoryCheck noProc = new MemoryCheck(new FakeSystemSource(), ArchitectureRegistry.defaults());
        assertThat(noProc.requireFits(STORIES, LoadOptions.defaults())).isEmpty();
    }

    @Test
    void otherQuantizationsRecomputeTheWeightTermAndAShorterContextIsFoundWhenMemoryIsShort() {
        ModelHeader header = ModelHeaders.gguf(STORIES, ArchitectureRegistry.defaults(), false);
        MemoryEstimator estimator = new MemoryEstimator(new RuntimeProfile(0, 0, "test"));
        long at512 = estimator.inference(header, 512, LoadMode.READ, 1).totalBytes();
        long at256 = estimator.inference(header, 256, LoadMode.READ, 1).totalBytes();
        // usable memory between the two totals: 512 does not fit (over 80%), 256 does
        long usable = (long) (at256 / Verdict.FITS_SHARE) + 1;
        Recommender recommender = new Recommender(estimator, new MemoryInfo(usable, usable, -1, -1), 1L << 40);
        assertThat(recommender.judge(estimator.inference(header, 512, LoadMode.READ, 1)).level())
                .isNotEqualTo(Verdict.Level.FITS);
        Alternative shorter = recommender.shorterContext(header, 512, LoadMode.READ, 1).orElseThrow();
        assertThat(shorter.change()).isEqualTo("--context 256");
        assertThat(shorter.estimate().totalBytes()).isEqualTo(at256);

        List<Alternative> quants = recommender.quantizations(header, 512, LoadMode.READ, 1);
        assertThat(quants).extracting(Alternative::change).containsExactly("F16 weights", "Q8_0 weights",
                "Q4_0 weights");
        assertThat(quants).extracting(a -> a.estimate().term("weights F32")).allMatch(b -> b < header.bytesByType()
                .get(GgmlType.F32));
    }

    @Test
    void dtypeConversionAddsTheConvertedCopiesBesideTheFile() {
        ModelHeader header = ModelHeaders.gguf(STORIES, ArchitectureRegistry.defaults(), false);
        MemoryEstimator estimator = new MemoryEstimator(RUNTIME);
        InferenceEstimate asStored = estimator.inference(header, 64, LoadMode.READ, 1);
        InferenceEstimate q8 = estimator.inference(header, 64, LoadMode.READ, 1, GgmlType.Q8_0);
        long matrices = header.tensors().stream().filter(t -> t.rank() == 2 && t.dim(0) % 32 == 0)
                .mapToLong(t -> GgmlType.Q8_0.bytesFor(t.elementCount())).sum();
        assertThat(q8.totalBytes() - asStored.totalBytes()).isEqualTo(matrices);
        assertThat(q8.term("weights converted to Q8_0")).isEqualTo(matrices);
    }

    @Test
    void trainingFollowsTheDocumentedFormulas() {
        ModelHeader header = ModelHeaders.gguf(STORIES, ArchitectureRegistry.defaults(), false);
        ModelConfig c = header.config();
        long p = header.parameterCount();
        List<TrainingEstimate> t = TrainingEstimator.estimate(header, 2, 128, 8);
        assertThat(t.get(0).totalBytes() - t.get(0).activationBytes()).isEqualTo(16 * p);
        assertThat(t.get(1).totalBytes() - t.get(1).activationBytes()).isEqualTo(16 * p);
        assertThat(t.get(1).activationBytes()).isLessThan(t.get(0).activationBytes());
        // stories260K: d 64, 8 heads, 4 KV heads of 8 (kv dim 32), 5 layers
        long lora = 8L * 5 * ((64 + 64) + (64 + 32) + (64 + 32) + (64 + 64));
        assertThat(t.get(2).trainableParams()).isEqualTo(lora);
        assertThat(t.get(2).gradientBytes()).isEqualTo(4 * lora);
        long perTokenLayer = 4 * 64 + 64 + 2 * 32 + 64 + 8 * 128 + 3L * c.feedForwardLength();
        assertThat(t.get(0).activationBytes()).isEqualTo(2 * 128 * (perTokenLayer * 5 * 4 + 2L * c.vocabSize() * 4));
    }
}
