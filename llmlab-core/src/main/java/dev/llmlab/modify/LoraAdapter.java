package dev.llmlab.modify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.ModelNotFoundException;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.io.LoadMode;
import dev.llmlab.kernels.ScalarKernels;
import dev.llmlab.safetensors.SafetensorsFile;
import dev.llmlab.safetensors.SafetensorsTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A PEFT LoRA adapter directory read into memory: {@code adapter_config.json} (r, lora_alpha, use_rslora,
 * fan_in_fan_out) and {@code adapter_model.safetensors} ({@code base_model.model.<module>.lora_A.weight} [r, in]
 * and {@code lora_B.weight} [out, r] per adapted module). PEFT stores A and B as plain Linear weights whatever the
 * base layer is, so fan_in_fan_out (GPT-2's Conv1D) only says how the HF base weight is laid out.
 *
 * @param scaling {@code lora_alpha / r}, or {@code lora_alpha / sqrt(r)} with use_rslora
 * @param pairs   per adapted module (HF module name, e.g. {@code model.layers.0.self_attn.q_proj}), its A and B
 */
public record LoraAdapter(Path directory, int rank, double scaling, Map<String, Pair> pairs) {
    static final String CONFIG = "adapter_config.json";
    static final String WEIGHTS = "adapter_model.safetensors";
    private static final String PREFIX = "base_model.model.";

    /** One module's low-rank factors, row-major: A is rank x in, B is out x rank. */
    public record Pair(String module, int in, int out, float[] a, float[] b) {
    }

    public static LoraAdapter read(Path dir) {
        Path configFile = dir.resolve(CONFIG);
        Path weightsFile = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(configFile) || !Files.isRegularFile(weightsFile)) {
            throw new ModelNotFoundException(dir + " is not a PEFT LoRA directory: expected " + CONFIG + " and "
                    + WEIGHTS + " in it");
        }
        JsonNode config;
        try {
            config = new ObjectMapper().readTree(Files.readString(configFile));
        } catch (IOException e) {
            throw new ModelFormatException(configFile + ": not readable JSON: " + e.getMessage());
        }
        String type = config.path("peft_type").asText("LORA");
        if (!type.equals("LORA")) {
            throw new UnsupportedModelException(configFile + ": peft_type '" + type + "' is not LORA");
        }
        if (config.path("use_dora").asBoolean(false)) {
            throw new UnsupportedModelException(configFile + ": use_dora is true; DoRA adapters cannot be merged as"
                    + " W + s B A");
        }
        int rank = config.path("r").asInt(0);
        double alpha = config.path("lora_alpha").asDouble(Double.NaN);
        if (rank < 1 || Double.isNaN(alpha)) {
            throw new ModelFormatException(configFile + ": 'r' (>= 1) and 'lora_alpha' are required");
        }
        double scaling = config.path("use_rslora").asBoolean(false) ? alpha / Math.sqrt(rank) : alpha / rank;
        Map<String, Pair> pairs = new TreeMap<>();
        try (SafetensorsFile st = SafetensorsFile.open(weightsFile, LoadMode.READ)) {
            for (SafetensorsTensor a : st.tensors().values()) {
                String name = a.name();
                if (!name.endsWith(".lora_A.weight")) {
                    if (!name.endsWith(".lora_B.weight")) {
                        throw new UnsupportedModelException(weightsFile + ": tensor '" + name + "' is not a"
                                + " lora_A/lora_B weight (embedding LoRA, biases and modules_to_save are not merged)");
                    }
                    continue;
                }
                String module = name.substring(0, name.length() - ".lora_A.weight".length());
                SafetensorsTensor b = st.tensor(module + ".lora_B.weight").orElseThrow(() -> new ModelFormatException(
                        weightsFile + ": '" + name + "' has no matching '" + module + ".lora_B.weight'"));
                long[] as = a.shape();
                long[] bs = b.shape();
                if (as.length != 2 || bs.length != 2 || as[0] != rank || bs[1] != rank) {
                    throw new ModelFormatException(weightsFile + ": '" + module + "': lora_A " + java.util.Arrays.toString(as)
                            + " and lora_B " + java.util.Arrays.toString(bs) + " do not match r = " + rank + " ([r, in] and [out, r])");
                }
                String hfModule = module.startsWith(PREFIX) ? module.substring(PREFIX.length()) : module;
                pairs.put(hfModule, new Pair(hfModule, (int) as[1], (int) bs[0], floats(st, a), floats(st, b)));
            }
        }
        if (pairs.isEmpty()) {
            throw new ModelFormatException(weightsFile + ": no lora_A/lora_B tensors");
        }
        return new LoraAdapter(dir, rank, scaling, pairs);
    }

    private static float[] floats(SafetensorsFile st, SafetensorsTensor t) {
        float[] out = new float[Math.toIntExact(t.elementCount())];
        ScalarKernels.decode(t.dtype().ggmlType(), st.data(t), 0, out, 0, out.length);
        return out;
    }

    /** The modules of this adapter, sorted. */
    public List<String> modules() {
        return new ArrayList<>(pairs.keySet());
    }

    static void requirePositive(float scale) {
        if (!(scale >= 0) || Float.isInfinite(scale)) {
            throw new InvalidRequestException("LoRA scale must be a finite number >= 0, got " + scale);
        }
    }
}
