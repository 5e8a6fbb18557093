package dev.llmlab.kernels;

import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufWriter;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.synth.ModelShape;
import dev.llmlab.synth.SyntheticModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

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
        assertThat(best.supportedTypes()).isEqualTo(ScalarKernels.TYPES);
        assertThat(KernelRegistry.scalar().supportedTypes()).isEqualTo(ScalarKernels.TYPES);
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
        assertThatThrownBy(() -> KernelRegistry.best().forType(GgmlType.IQ2_XXS, "blk.0.ffn_down.weight"))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("blk.0.ffn_down.weight")
                .hasMessageContaining("IQ2_XXS")
                .hasMessageContaining("Q4_K").hasMessageContaining("Q6_K").hasMessageContaining("IQ4_XS");
    }

    /** The common GGUF types, every one with a reference decoder and a vector kernel. */
    @Test
    void everyCommonGgufTypeIsSupported() {
        assertThat(ScalarKernels.TYPES).containsExactlyInAnyOrder(GgmlType.F32, GgmlType.F16, GgmlType.BF16,
                GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0, GgmlType.Q2_K,
                GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.IQ4_NL, GgmlType.IQ4_XS);
    }

    @Test
    void aModelWithAnUnsupportedTensorTypeIsRefusedAtLoadWithTheSupportedList(@TempDir Path dir) {
        // the tiny synthetic model with one matrix re-typed to MXFP4, which llmlab has no kernel for
        GgufWriter tiny = SyntheticModel.writer(ModelShape.preset("tiny"), GgmlType.F32, 1);
        GgufWriter.Builder odd = GgufWriter.builder().putAll(tiny.metadata());
        for (GgufWriter.TensorSpec t : tiny.tensors()) {
            if (t.name().equals("blk.0.ffn_up.weight")) {
                odd.tensor(t.name(), GgmlType.MXFP4, t.shape(), segment -> segment.fill((byte) 1));
            } else {
                odd.tensor(t);
            }
        }
        Path file = dir.resolve("mxfp4.gguf");
        odd.build().write(file);
        assertThatThrownBy(() -> LocalModel.load(file, LoadOptions.defaults()))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("blk.0.ffn_up.weight").hasMessageContaining("MXFP4")
                .hasMessageContaining("supported types").hasMessageContaining("Q4_K");
    }
}
