package dev.llmlab.kernels;

import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.gguf.GgmlType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KernelRegistryTest {

    @Test
    void bestIsTheVectorKernelsWhenTheVectorApiIsUsable() {
        // the build runs tests with --add-modules jdk.incubator.vector
        VectorSupport support = VectorSupport.current();
        assertThat(support.usable()).as(support.description()).isTrue();

        KernelRegistry best = KernelRegistry.best();

        assertThat(best.name()).isEqualTo("vector");
        assertThat(best.description()).matches("vector \\d+-bit \\(.+\\)").isEqualTo(support.description());
        assertThat(best.supportedTypes())
                .containsExactlyInAnyOrder(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0);
        for (GgmlType type : best.supportedTypes()) {
            assertThat(best.forType(type, "t").type()).isEqualTo(type);
        }
    }

    @Test
    void scalarDescribesItself() {
        assertThat(KernelRegistry.scalar().name()).isEqualTo("scalar");
        assertThat(KernelRegistry.scalar().description()).startsWith("scalar");
    }

    @Test
    void anUnsupportedTypeIsRefusedWithTheTensorNameAndTheSupportedTypes() {
        assertThatThrownBy(() -> KernelRegistry.best().forType(GgmlType.Q6_K, "blk.0.ffn_down.weight"))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("blk.0.ffn_down.weight")
                .hasMessageContaining("Q6_K")
                .hasMessageContaining("Q8_0");
    }
}
