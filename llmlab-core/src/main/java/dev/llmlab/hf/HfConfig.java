package dev.llmlab.hf;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.ModelNotFoundException;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.model.BlockDesign;
import dev.llmlab.model.ModelConfig;
import dev.llmlab.model.RopeLayout;
import dev.llmlab.model.RopeScaling;
import dev.llmlab.model.TensorNaming;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A Hugging Face {@code config.json} read into a {@link ModelConfig}. Which class the checkpoint was saved from
 * ({@code architectures[0]}) decides the llmlab architecture and the tensor names; the table below is the only
 * place that knows, so supporting the next class is one row plus, if its keys differ, a few lines here.
 *
 * @param path the config file
 * @param json its contents
 */
public record HfConfig(Path path, JsonNode json) {
    public static final String FILE = "config.json";

    /** A Hugging Face model class and what it is to llmlab. */
    public record ModelClass(String hfClass, String modelType, String architecture, TensorNaming naming) {
    }

    public static final List<ModelClass> MODEL_CLASSES = List.of(
            new ModelClass("GPT2LMHeadModel", "gpt2", "gpt2", TensorNaming.HF_GPT2),
            new ModelClass("LlamaForCausalLM", "llama", "llama", TensorNaming.HF_LLAMA),
            new ModelClass("MistralForCausalLM", "mistral", "mistral", TensorNaming.HF_LLAMA),
            new ModelClass("Qwen2ForCausalLM", "qwen2", "qwen2", TensorNaming.HF_LLAMA));

    public static HfConfig read(Path directory) {
        Path path = directory.resolve(FILE);
        try {
            JsonNode json = new ObjectMapper().readTree(Files.readString(path));
            if (json == null || !json.isObject()) {
                throw new ModelFormatException(path + ": not a JSON object");
            }
            return new HfConfig(path, json);
        } catch (NoSuchFileException e) {
            throw new ModelNotFoundException(directory + " has no " + FILE + "; a Hugging Face checkpoint directory "
                    + "needs config.json next to its safetensors weights");
        } catch (JacksonException e) {
            throw new ModelFormatException(path + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The model class, from {@code architectures[0]}, else {@code model_type}. */
    public ModelClass modelClass() {
        JsonNode archs = json.get("architectures");
        String hfClass = archs != null && archs.isArray() && !archs.isEmpty() ? archs.get(0).asText() : null;
        String modelType = json.path("model_type").asText(null);
        for (ModelClass c : MODEL_CLASSES) {
            if (hfClass != null ? c.hfClass().equals(hfClass) : c.modelType().equals(modelType)) {
                return c;
            }
        }
        throw new UnsupportedModelException(path + ": model class " + (hfClass != null ? hfClass : modelType)
                + " is not supported yet; supported: " + MODEL_CLASSES.stream().map(ModelClass::hfClass).toList());
    }

    public boolean tiedEmbeddings() {
        return json.path("tie_word_embeddings").asBoolean(true);
    }

    public OptionalIntValue bosTokenId() {
        return new OptionalIntValue(json.get("bos_token_id"));
    }

    public OptionalIntValue eosTokenId() {
        return new OptionalIntValue(json.get("eos_token_id"));
    }

    /** An integer-or-absent config value ({@code eos_token_id} may also be a list: its first element). */
    public record OptionalIntValue(JsonNode node) {
        public Optional<Integer> value() {
            JsonNode n = node != null && node.isArray() && !node.isEmpty() ? node.get(0) : node;
            return n != null && n.isIntegralNumber() ? Optional.of(n.asInt()) : Optional.empty();
        }
    }

    /** The hyper-parameters; the checkpoint's q/k are stored for rotate-half RoPE, so the layout is NEOX. */
    public ModelConfig modelConfig() {
        ModelClass c = modelClass();
        return c.architecture().equals("gpt2") ? gpt2(c) : llamaFamily(c);
    }

    private ModelConfig gpt2(ModelClass c) {
        String activation = json.path("activation_function").asText("gelu_new");
        if (!activation.equals("gelu_new") && !activation.equals("gelu_pytorch_tanh")) {
            throw new UnsupportedModelException(path + ": activation_function '" + activation
                    + "' is not supported; supported: gelu_new, gelu_pytorch_tanh");
        }
        int d = integer("n_embd");
        int heads = integer("n_head");
        JsonNode inner = json.get("n_inner");
        int ffn = inner == null || inner.isNull() ? 4 * d : inner.asInt();
        return new ModelConfig(c.architecture(), integer("vocab_size"), d, integer("n_layer"), heads, heads,
                d / heads, ffn, integer("n_positions"), (float) json.path("layer_norm_epsilon").asDouble(1e-5),
                10_000f, 0, RopeLayout.NEOX, BlockDesign.GPT2, new RopeScaling.None(), 0);
    }

    private ModelConfig llamaFamily(ModelClass c) {
        String act = json.path("hidden_act").asText("silu");
        if (!act.equals("silu")) {
            throw new UnsupportedModelException(path + ": hidden_act '" + act + "' is not supported; supported: silu");
        }
        int d = integer("hidden_size");
        int heads = integer("num_attention_heads");
        int headDim = json.hasNonNull("head_dim") ? json.get("head_dim").asInt() : d / heads;
        int kvHeads = json.hasNonNull("num_key_value_heads") ? json.get("num_key_value_heads").asInt() : heads;
        return new ModelConfig(c.architecture(), integer("vocab_size"), d, integer("num_hidden_layers"), heads,
                kvHeads, headDim, integer("intermediate_size"), integer("max_position_embeddings"),
                (float) json.path("rms_norm_eps").asDouble(1e-6), (float) json.path("rope_theta").asDouble(10_000),
                headDim, RopeLayout.NEOX, BlockDesign.LLAMA, ropeScaling(), slidingWindow(c));
    }

    /** Mistral's window applies whenever set; Qwen2 stores one but uses it only with use_sliding_window. */
    private int slidingWindow(ModelClass c) {
        JsonNode w = json.get("sliding_window");
        if (w == null || !w.isIntegralNumber()) {
            return 0;
        }
        boolean used = switch (c.modelType()) {
            case "mistral" -> true;
            case "qwen2" -> json.path("use_sliding_window").asBoolean(false);
            default -> false;
        };
        return used ? w.asInt() : 0;
    }

    public RopeScaling ropeScaling() {
        JsonNode s = json.get("rope_scaling");
        if (s == null || s.isNull()) {
            return new RopeScaling.None();
        }
        String type = s.hasNonNull("rope_type") ? s.get("rope_type").asText() : s.path("type").asText("default");
        return switch (type) {
            case "default" -> new RopeScaling.None();
            case "linear" -> new RopeScaling.Linear((float) required(s, "factor"));
            case "llama3" -> new RopeScaling.Llama3((float) required(s, "factor"),
                    (float) required(s, "low_freq_factor"), (float) required(s, "high_freq_factor"),
                    (int) required(s, "original_max_position_embeddings"));
            default -> throw new UnsupportedModelException(path + ": rope_scaling type '" + type
                    + "' is not supported yet; supported: linear, llama3");
        };
    }

    private double required(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isNumber()) {
            throw new ModelFormatException(path + ": rope_scaling." + key + " is missing or not a number");
        }
        return v.asDouble();
    }

    private int integer(String key) {
        JsonNode v = json.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ModelFormatException(path + ": '" + key + "' is missing or not an integer");
        }
        return v.asInt();
    }
}
