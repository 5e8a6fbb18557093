package dev.llmlab.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.error.ModelFormatException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufWriter;
import dev.llmlab.gguf.TensorSource;
import dev.llmlab.model.ModelConfig;
import dev.llmlab.model.RopeScaling;
import dev.llmlab.model.StoredTensor;
import dev.llmlab.model.TensorNaming;
import dev.llmlab.model.TensorRole;
import dev.llmlab.model.WeightConversion;
import dev.llmlab.tensor.ComputePool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.IntUnaryOperator;

/**
 * Plans a GGUF file from a Hugging Face checkpoint, as llama.cpp's {@code convert_hf_to_gguf.py} writes it: the
 * architecture's metadata keys, tensors renamed to GGUF names, Llama/Mistral q/k rows permuted from rotate-half to
 * interleaved RoPE pairs, GPT-2 Conv1D weights transposed (q/k/v kept fused), Llama 3 rope scaling as
 * {@code rope_freqs.weight}, the tokenizer from tokenizer.json and the chat template of tokenizer_config.json. Matrices take the requested type when their rows
 * are whole blocks of it (else their stored type); norms and biases are F32. Tensors are produced while the file is
 * written ({@link GgufWriter} is atomic), never all in memory.
 */
public final class HfToGguf {
    private final HfCheckpoint checkpoint;
    private final ModelConfig config;
    private final GgmlType type;
    private final ComputePool pool;
    /** llama.cpp's own name for the architecture: Mistral checkpoints convert to {@code llama}. */
    private final String ggufArchitecture;

    private HfToGguf(HfCheckpoint checkpoint, GgmlType type, ComputePool pool) {
        this.checkpoint = checkpoint;
        this.config = checkpoint.config();
        this.type = type;
        this.pool = pool;
        this.ggufArchitecture = config.architecture().equals("mistral") ? "llama" : config.architecture();
    }

    /**
     * The writer for {@code checkpoint} with matrices in {@code type} (null: as stored). The checkpoint must stay
     * open until the file is written.
     */
    public static GgufWriter plan(HfCheckpoint checkpoint, GgmlType type, ComputePool pool) {
        return new HfToGguf(checkpoint, type, pool).writer();
    }

    private GgufWriter writer() {
        GgufWriter.Builder b = GgufWriter.builder();
        metadata(b);
        TokenizerJsonVocabulary.read(checkpoint.path(), config.vocabSize()).writeTo(b, checkpoint.hfConfig());
        chatTemplate().ifPresent(t -> b.putString("tokenizer.chat_template", t));
        tensors(b);
        return b.build();
    }

    /** The Jinja chat template of tokenizer_config.json, if the checkpoint has one. */
    private Optional<String> chatTemplate() {
        Path file = checkpoint.path().resolve("tokenizer_config.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode template = new ObjectMapper().readTree(file.toFile()).get("chat_template");
            return template != null && template.isTextual() ? Optional.of(template.asText()) : Optional.empty();
        } catch (IOException e) {
            throw new ModelFormatException(file + ": not readable JSON (" + e.getMessage() + ")");
        }
    }

    private void metadata(GgufWriter.Builder b) {
        String a = ggufArchitecture;
        b.putString("general.architecture", a);
        b.putString("general.name", checkpoint.name());
        b.putUint32(a + ".block_count", config.blockCount());
        b.putUint32(a + ".context_length", config.contextLength());
        b.putUint32(a + ".embedding_length", config.embeddingLength());
        b.putUint32(a + ".feed_forward_length", config.feedForwardLength());
        b.putUint32(a + ".attention.head_count", config.headCount());
        if (a.equals("gpt2")) {
            b.putFloat32(a + ".attention.layer_norm_epsilon", config.normEps());
        } else {
            b.putUint32(a + ".attention.head_count_kv", config.headCountKv());
            b.putFloat32(a + ".rope.freq_base", config.ropeTheta());
            b.putFloat32(a + ".attention.layer_norm_rms_epsilon", config.normEps());
            b.putUint32(a + ".rope.dimension_count", config.ropeDimensions());
            if (config.headDim() != config.embeddingLength() / config.headCount()) {
                b.putUint32(a + ".attention.key_length", config.headDim());
                b.putUint32(a + ".attention.value_length", config.headDim());
            }
            if (config.ropeScaling() instanceof RopeScaling.Linear linear) {
                b.putString(a + ".rope.scaling.type", "linear");
                b.putFloat32(a + ".rope.scaling.factor", linear.factor());
            }
            if (config.slidingWindow() > 0) {
                // llama.cpp's llama ignores this key; llmlab reads it back.
                b.putUint32(a + ".attention.sliding_window", config.slidingWindow());
            }
        }
        b.putUint32(a + ".vocab_size", config.vocabSize());
        b.putUint32("general.file_type", fileType());
        if (type == GgmlType.Q8_0 || type == GgmlType.Q4_0) {
            b.putUint32("general.quantization_version", 2);
        }
    }

    /** llama.cpp's LLAMA_FTYPE of the main matrix type. */
    private int fileType() {
        GgmlType t = type != null ? type : checkpoint.tensors().find(checkpoint.naming().name(TensorRole.TOKEN_EMBEDDING))
                .map(StoredTensor::type).orElse(GgmlType.F32);
        return switch (t) {
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 7;
            case BF16 -> 32;
            default -> 0;
        };
    }

    private void tensors(GgufWriter.Builder b) {
        TensorNaming hf = checkpoint.naming();
        TensorNaming gguf = TensorNaming.GGUF;
        for (TensorRole role : TensorRole.values()) {
            if (!hf.has(role) || role.perLayer()) {
                continue;
            }
            add(b, role, -1, hf, gguf);
        }
        if (config.ropeScaling() instanceof RopeScaling.Llama3 llama3) {
            float[] factors = llama3.frequencyFactors(config.ropeTheta(), config.ropeDimensions());
            b.tensor(gguf.name(TensorRole.ROPE_FREQS), GgmlType.F32, new long[]{factors.length},
                    TensorSource.ofFloats(factors));
        }
        for (int l = 0; l < config.blockCount(); l++) {
            for (TensorRole role : TensorRole.values()) {
                if (hf.has(role) && role.perLayer()) {
                    add(b, role, l, hf, gguf);
                }
            }
        }
        // llama.cpp's gpt2 graph requires output.weight: a tied head is written as a copy, as its converter does.
        if (ggufArchitecture.equals("gpt2") && checkpoint.find(hf.name(TensorRole.OUTPUT)).isEmpty()) {
            add(b, TensorRole.TOKEN_EMBEDDING, -1, hf, gguf, gguf.name(TensorRole.OUTPUT));
        }
    }

    private void add(GgufWriter.Builder b, TensorRole role, int layer, TensorNaming hf, TensorNaming gguf) {
        add(b, role, layer, hf, gguf, gguf.name(role, layer));
    }

    private void add(GgufWriter.Builder b, TensorRole role, int layer, TensorNaming hf, TensorNaming gguf,
                     String ggufName) {
        Optional<StoredTensor> found = checkpoint.find(hf.name(role, layer));
        if (found.isEmpty()) {
            return;
        }
        StoredTensor t = found.get();
        IntUnaryOperator rows = ropePermutation(role);
        if (!role.matrix()) {
            float[] values = WeightConversion.decodeAll(t);
            float[] out = new float[values.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = values[rows.applyAsInt(i)];
            }
            b.tensor(ggufName, GgmlType.F32, new long[]{out.length}, TensorSource.ofFloats(out));
            return;
        }
        if (t.rank() != 2) {
            throw new ModelFormatException(checkpoint.location() + ": tensor '" + t.name() + "' has shape "
                    + t.shapeText() + ", expected a matrix");
        }
        boolean transposed = hf.isTransposed(role);
        int cols = (int) (transposed ? t.dim(1) : t.dim(0));
        int rowCount = (int) (transposed ? t.dim(0) : t.dim(1));
        GgmlType target = role == TensorRole.POSITION_EMBEDDING ? GgmlType.F32
                : type != null && cols % type.blockSize() == 0 ? type : t.type();
        b.tensor(ggufName, target, new long[]{cols, rowCount}, region ->
                WeightConversion.convert(t, transposed, rowCount, cols, rows, target, region, pool));
    }

    /** Llama-family q/k (weights and biases) are permuted to interleaved pairs; everything else keeps its order. */
    private IntUnaryOperator ropePermutation(TensorRole role) {
        boolean permute = ggufArchitecture.equals("llama") && switch (role) {
            case ATTN_Q, ATTN_K, ATTN_Q_BIAS, ATTN_K_BIAS -> true;
            default -> false;
        };
        return permute ? WeightConversion.interleavedFromRotateHalf(config.headDim()) : IntUnaryOperator.identity();
    }
}
