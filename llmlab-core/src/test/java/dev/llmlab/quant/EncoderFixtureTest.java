package dev.llmlab.quant;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufTensorInfo;
import dev.llmlab.io.LoadMode;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The oracle for the encoders: llama.cpp's {@code llama-quantize --pure} output for each type
 * (../shared/fixtures/quant). Every quantized tensor of each fixture file, re-encoded here from the F32 source
 * file, must be the same bytes.
 */
class EncoderFixtureTest {
    private static GgufFile source;

    @BeforeAll
    static void openSource() {
        source = GgufFile.open(Fixtures.sharedFile("fixtures/quant/tiny-llama-256-F32.gguf"), LoadMode.READ);
    }

    @AfterAll
    static void closeSource() {
        source.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K_M", "Q4_K_M",
            "Q5_K_M", "Q6_K", "IQ4_NL", "IQ4_XS"})
    void encodesEveryTensorLikeLlamaCpp(String fileType) {
        try (GgufFile expected = GgufFile.open(
                Fixtures.sharedFile("fixtures/quant/tiny-llama-256-" + fileType + ".gguf"), LoadMode.READ)) {
            List<String> mismatches = new ArrayList<>();
            int tensors = 0;
            for (GgufTensorInfo t : expected.tensors().values()) {
                if (t.type() == GgmlType.F32) {
                    continue;
                }
                tensors++;
                float[] x = source.tensorData(t.name()).toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
                byte[] ours = new byte[(int) t.sizeBytes()];
                Encoders.encode(t.type(), x, 0, x.length, ours, 0);
                byte[] theirs = expected.tensorData(t).toArray(ValueLayout.JAVA_BYTE);
                int blocks = theirs.length / t.type().blockBytes();
                int differing = 0;
                for (int b = 0; b < blocks; b++) {
                    int from = b * t.type().blockBytes();
                    if (MemorySegment.mismatch(MemorySegment.ofArray(ours), from, from + t.type().blockBytes(),
                            MemorySegment.ofArray(theirs), from, from + t.type().blockBytes()) >= 0) {
                        differing++;
                    }
                }
                if (differing > 0) {
                    mismatches.add(t.name() + " " + t.type() + ": " + differing + " of " + blocks + " blocks differ");
                }
            }
            assertThat(tensors).isGreaterThan(0);
            assertThat(mismatches).as(fileType).isEmpty();
        }
    }
}
