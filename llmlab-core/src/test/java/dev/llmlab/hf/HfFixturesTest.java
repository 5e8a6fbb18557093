package dev.llmlab.hf;

import dev.llmlab.io.LoadMode;
import dev.llmlab.kernels.KernelRegistry;
import dev.llmlab.model.ArchitectureRegistry;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LoadedTransformer;
import dev.llmlab.model.Session;
import dev.llmlab.model.WeightDtype;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Hugging Face fixture against its PyTorch reference: next-token logits within 1e-3, the top-10 ids, the
 * 16-token greedy continuation; with the vector kernels (read into memory), and the scalar ones (mapped).
 */
class HfFixturesTest {

    static Stream<Arguments> fixtures() {
        return Stream.concat(HfFixture.NAMES.stream().map(name -> Arguments.of(name, KernelRegistry.best(), LoadMode.READ)),
                Stream.of(Arguments.of("tiny-qwen2-bf16-sharded", KernelRegistry.scalar(), LoadMode.MMAP)));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("fixtures")
    void matchesPyTorchReference(String name, KernelRegistry kernels, LoadMode mode) {
        HfFixture fixture = HfFixture.load(name);
        LoadOptions options = LoadOptions.defaults().withThreads(2).withKernels(kernels).withLoadMode(mode);
        try (LoadedTransformer model = LoadedTransformer.load(
                HfCheckpoint.open(fixture.dir(), mode, ArchitectureRegistry.defaults()), options)) {
            float worst = 0;
            for (HfFixture.Case c : fixture.cases()) {
                Session session = model.transformer().newSession(64);
                float[] logits = session.ingest(c.inputIds()).clone();
                assertThat(logits).hasSameSizeAs(c.logits());
                float error = HfFixture.maxAbsDiff(logits, c.logits());
                worst = Math.max(worst, error);
                assertThat(error).as("%s max |logit - reference|", name).isLessThan(1e-3f);
                assertThat(HfFixture.top(logits, 10)).as("%s top-10 ids", name).containsExactly(c.top10());
                session.reset();
                assertThat(HfFixture.greedy(session, c.inputIds(), 16)).as("%s greedy continuation", name)
                        .containsExactly(c.greedy16());
            }
            System.out.printf("%s (%s, %s): max abs logit error %.3g%n", name, kernels.name(), mode, worst);
        }
    }

    /**
     * {@code --dtype}: matrices converted at load (norms and biases stay F32; rows that are not whole blocks keep
     * their type), logits near the reference (quantization error only), the load line saying what was chosen.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypes")
    void convertsWeightsAtLoad(String name, WeightDtype dtype, float tolerance) {
        HfFixture fixture = HfFixture.load(name);
        LoadOptions options = LoadOptions.defaults().withThreads(2).withDtype(dtype);
        try (LoadedTransformer model = LoadedTransformer.load(
                HfCheckpoint.open(fixture.dir(), LoadMode.READ, ArchitectureRegistry.defaults()), options)) {
            assertThat(model.plan().reason()).isEqualTo(dtype.type() + " (--dtype " + dtype.name().toLowerCase() + ")");
            assertThat(model.tensorTypes()).containsKey(dtype.type());
            HfFixture.Case c = fixture.cases().getFirst();
            float[] logits = model.transformer().newSession(16).ingest(c.inputIds());
            float error = HfFixture.maxAbsDiff(logits, c.logits());
            float scale = 0;
            for (float v : c.logits()) {
                scale = Math.max(scale, Math.abs(v));
            }
            System.out.printf("%s --dtype %s: max abs logit error %.3g (%.2f%% of the largest)%n", name, dtype, error,
                    100 * error / scale);
            assertThat(error).isLessThan(tolerance * scale);
        }
    }

    /** Tolerances as a fraction of the largest reference logit: measured errors are 0.05% (F16), 1-2.3% (Q8_0), 40% (Q4_0). */
    static Stream<Arguments> dtypes() {
        return Stream.of(Arguments.of("tiny-llama", WeightDtype.F16, 0.01f),
                Arguments.of("tiny-llama", WeightDtype.Q8_0, 0.04f),
                Arguments.of("tiny-gpt2", WeightDtype.Q8_0, 0.04f),
                Arguments.of("tiny-gpt2", WeightDtype.Q4_0, 0.6f),
                Arguments.of("tiny-qwen2-bf16-sharded", WeightDtype.Q8_0, 0.04f));
    }
}
