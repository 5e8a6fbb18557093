package dev.llmlab.modify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Writes a random PEFT LoRA adapter directory (adapter_config.json + F32 adapter_model.safetensors) for tests. */
final class PeftDirectory {
    /** One module's factors as written: A is rank x in, B is out x rank (row-major). */
    record Factors(int in, int out, float[] a, float[] b) {
    }

    private PeftDirectory() {
    }

    static Map<String, Factors> write(Path dir, int rank, double alpha, Map<String, int[]> modulesOutIn, long seed) {
        Random random = new Random(seed);
        Map<String, Factors> factors = new LinkedHashMap<>();
        modulesOutIn.forEach((module, outIn) -> {
            float[] a = new float[rank * outIn[1]];
            float[] b = new float[outIn[0] * rank];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (random.nextGaussian() * 0.2);
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) (random.nextGaussian() * 0.2);
            }
            factors.put(module, new Factors(outIn[1], outIn[0], a, b));
        });
        StringBuilder header = new StringBuilder("{");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        factors.forEach((module, f) -> {
            tensor(header, data, "base_model.model." + module + ".lora_A.weight", new long[]{rank, f.in()}, f.a());
            tensor(header, data, "base_model.model." + module + ".lora_B.weight", new long[]{f.out(), rank}, f.b());
        });
        header.setCharAt(header.length() - 1, '}');
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(dir);
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            file.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
            file.writeBytes(headerBytes);
            file.writeBytes(data.toByteArray());
            Files.write(dir.resolve("adapter_model.safetensors"), file.toByteArray());
            List<String> targets = factors.keySet().stream().map(m -> m.substring(m.lastIndexOf('.') + 1)).distinct()
                    .toList();
            Files.writeString(dir.resolve("adapter_config.json"), "{\"peft_type\": \"LORA\", \"r\": " + rank
                    + ", \"lora_alpha\": " + alpha + ", \"fan_in_fan_out\": false, \"target_modules\": "
                    + targets.stream().map(t -> "\"" + t + "\"").toList() + "}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return factors;
    }

    private static void tensor(StringBuilder header, ByteArrayOutputStream data, String name, long[] shape,
                               float[] values) {
        long begin = data.size();
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        data.writeBytes(b.array());
        header.append('"').append(name).append("\":{\"dtype\":\"F32\",\"shape\":[").append(shape[0]).append(',')
                .append(shape[1]).append("],\"data_offsets\":[").append(begin).append(',').append(data.size())
                .append("]},");
    }
}
