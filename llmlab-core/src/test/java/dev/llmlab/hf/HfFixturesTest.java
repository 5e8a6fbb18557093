package dev.llmlab.hf;

import dev.llmlab.io.LoadMode;
import dev.llmlab.kernels.KernelRegistry;
import dev.llmlab.model.ArchitectureRegistry;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LoadedTransformer;
import dev.llmlab.model.Session;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Hugging Face fixture against its PyTorch reference: next-token logits within 1e-3, the top-10 ids, the
 * 16-token greedy continuation; with the vector and the scalar kernels, mapped and read.
 */
class HfFixturesTest {

    static Stream<Arguments> fixtures() {
        return HfFixture.NAMES.stream().flatMap(name -> Stream.of(
                Arguments.of(name, KernelRegistry.best(), LoadMode.READ),
                Arguments.of(name, KernelRegistry.scalar(), LoadMode.MMAP)));
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
}
