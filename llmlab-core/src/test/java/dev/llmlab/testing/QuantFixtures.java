package dev.llmlab.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.gguf.GgmlType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The quantization fixtures of {@code ../shared/fixtures/quant} (see its README.md): one tiny Llama per type,
 * made by llama.cpp's quantizer, with llama.cpp's dequantized values of two tensors and its greedy tokens.
 */
public final class QuantFixtures {
    private static final String DIR = "fixtures/quant/";

    private QuantFixtures() {
    }

    /** A tensor and the float values llama.cpp's reference dequantizer gives for it. */
    public record ExpectedTensor(String tensor, GgmlType type, int rows, int cols, Path valuesFile) {
        public float[] values() {
            try {
                ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(valuesFile)).order(ByteOrder.LITTLE_ENDIAN);
                float[] v = new float[bytes.remaining() / 4];
                bytes.asFloatBuffer().get(v);
                return v;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One quantized model: its file, the tensors to decode, and llama.cpp's greedy run. */
    public record QuantModel(String requested, Path file, List<ExpectedTensor> expected, int[] promptIds,
                             int[] generatedIds) {
        @Override
        public String toString() {
            return requested;
        }
    }

    public static List<QuantModel> models() {
        try {
            JsonNode root = new ObjectMapper().readTree(Fixtures.sharedFile(DIR + "manifest.json").toFile());
            List<QuantModel> out = new ArrayList<>();
            for (JsonNode f : root.get("files")) {
                List<ExpectedTensor> expected = new ArrayList<>();
                for (JsonNode e : f.get("expected")) {
                    expected.add(new ExpectedTensor(e.get("tensor").asText(), GgmlType.valueOf(e.get("type").asText()),
                            e.get("shape_rows_cols").get(0).asInt(), e.get("shape_rows_cols").get(1).asInt(),
                            Fixtures.sharedFile(DIR + e.get("values_file").asText())));
                }
                out.add(new QuantModel(f.get("requested").asText(), Fixtures.sharedFile(DIR + f.get("file").asText()),
                        expected, ints(f.get("greedy").get("PROMPT_IDS")), ints(f.get("greedy").get("GEN_IDS"))));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] ints(JsonNode array) {
        int[] v = new int[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asInt();
        }
        return v;
    }
}
