package dev.llmlab.kernels;

import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufTensorInfo;
import dev.llmlab.io.LoadMode;
import dev.llmlab.testing.QuantFixtures;
import dev.llmlab.testing.QuantFixtures.ExpectedTensor;
import dev.llmlab.testing.QuantFixtures.QuantModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoders against llama.cpp: for each fixture model (one per type, quantized by llama.cpp), two tensors
 * decoded by the scalar reference and by the vector kernel equal llama.cpp's dequantized floats bit for bit.
 */
class QuantFixtureDecodeTest {

    static List<QuantModel> models() {
        return QuantFixtures.models();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void referenceDecoderReproducesLlamaCppBitForBit(QuantModel model) {
        checkEveryExpectedTensor(model, KernelRegistry.scalar());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void vectorDequantizeReproducesLlamaCppBitForBit(QuantModel model) {
        checkEveryExpectedTensor(model, KernelRegistry.vector());
    }

    private static void checkEveryExpectedTensor(QuantModel model, KernelRegistry kernels) {
        try (GgufFile file = GgufFile.open(model.file(), LoadMode.READ)) {
            for (ExpectedTensor e : model.expected()) {
                GgufTensorInfo info = file.tensor(e.tensor()).orElseThrow();
                assertThat(info.type()).isEqualTo(e.type());
                MemorySegment data = file.tensorData(info);
                RowKernel kernel = kernels.forType(info.type(), e.tensor());
                float[] expected = e.values();
                assertThat(expected).hasSize(e.rows() * e.cols());
                float[] actual = new float[expected.length];
                long rowBytes = info.type().bytesFor(e.cols());
                for (int r = 0; r < e.rows(); r++) { // row by row, as the engine decodes
                    kernel.dequantize(data, r * rowBytes, actual, r * e.cols(), e.cols());
                }
                for (int i = 0; i < expected.length; i++) {
                    if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
                        throw new AssertionError(kernels.name() + " " + e.type() + " " + e.tensor() + " value " + i
                                + " (row " + i / e.cols() + ", col " + i % e.cols() + "): " + actual[i]
                                + ", llama.cpp " + expected[i]);
                    }
                }
            }
        }
    }
}
