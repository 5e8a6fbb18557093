package dev.llmlab.model;

import dev.llmlab.error.ModelFormatException;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufMetadata;
import dev.llmlab.gguf.GgufTensorInfo;
import dev.llmlab.kernels.KernelRegistry;
import dev.llmlab.kernels.ScalarKernels;
import dev.llmlab.tensor.Matrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds a {@link ModelConfig} and {@link TransformerWeights} from a GGUF file's metadata and tensors. */
final class GgufModelLoader {
    private final GgufFile file;
    private final Architecture arch;
    private final KernelRegistry kernels;
    private final TensorNaming naming = TensorNaming.GGUF;

    GgufModelLoader(GgufFile file, Architecture arch, KernelRegistry kernels) {
        this.file = file;
        this.arch = arch;
        this.kernels = kernels;
    }

    ModelConfig config() {
        GgufMetadata md = file.metadata();
        String a = arch.name();
        int d = md.count(a + ".embedding_length");
        int heads = md.count(a + ".attention.head_count");
        int headDim = md.count(a + ".attention.key_length", heads == 0 ? 0 : d / heads);
        GgufTensorInfo embedding = require(naming.name(TensorRole.TOKEN_EMBEDDING));
        int vocab = (int) embedding.dim(1);
        return new ModelConfig(a,
                vocab,
                d,
                md.count(a + ".block_count"),
                heads,
                md.count(a + ".attention.head_count_kv", heads),
                headDim,
                md.count(a + ".feed_forward_length"),
                md.count(a + ".context_length"),
                md.optFloat(a + ".attention.layer_norm_rms_epsilon").orElse(1e-5f),
                md.optFloat(a + ".rope.freq_base").orElse(10_000f),
                md.count(a + ".rope.dimension_count", headDim),
                arch.ggufRopeLayout());
    }

    TransformerWeights weights(ModelConfig c) {
        int d = c.embeddingLength();
        Matrix embedding = matrix(TensorRole.TOKEN_EMBEDDING, -1, c.vocabSize(), d).orElseThrow();
        List<LayerWeights> layers = new ArrayList<>(c.blockCount());
        for (int l = 0; l < c.blockCount(); l++) {
            layers.add(new LayerWeights(
                    vector(TensorRole.ATTN_NORM, l, d).orElseThrow(),
                    matrix(TensorRole.ATTN_Q, l, c.queryDim(), d).orElseThrow(),
                    matrix(TensorRole.ATTN_K, l, c.kvDim(), d).orElseThrow(),
                    matrix(TensorRole.ATTN_V, l, c.kvDim(), d).orElseThrow(),
                    vector(TensorRole.ATTN_Q_BIAS, l, c.queryDim()).orElse(null),
                    vector(TensorRole.ATTN_K_BIAS, l, c.kvDim()).orElse(null),
                    vector(TensorRole.ATTN_V_BIAS, l, c.kvDim()).orElse(null),
                    matrix(TensorRole.ATTN_OUT, l, d, c.queryDim()).orElseThrow(),
                    vector(TensorRole.FFN_NORM, l, d).orElseThrow(),
                    matrix(TensorRole.FFN_GATE, l, c.feedForwardLength(), d).orElseThrow(),
                    matrix(TensorRole.FFN_UP, l, c.feedForwardLength(), d).orElseThrow(),
                    matrix(TensorRole.FFN_DOWN, l, d, c.feedForwardLength()).orElseThrow()));
        }
        float[] outputNorm = vector(TensorRole.OUTPUT_NORM, -1, d).orElseThrow();
        Matrix output = matrix(TensorRole.OUTPUT, -1, c.vocabSize(), d).orElse(embedding);
        return new TransformerWeights(embedding, layers, outputNorm, output);
    }

    /** A 2-D weight of {@code rows x cols} (GGML shape [cols, rows]); empty only for optional roles. */
    private Optional<Matrix> matrix(TensorRole role, int layer, int rows, int cols) {
        String name = naming.name(role, layer);
        Optional<GgufTensorInfo> info = find(role, name);
        return info.map(t -> {
            if (t.dim(0) != cols || t.dim(1) != rows || t.rank() > 2) {
                throw shapeError(t, "[" + cols + ", " + rows + "]");
            }
            return new Matrix(name, t.type(), file.tensorData(t), rows, cols, kernels.forType(t.type(), name));
        });
    }

    /** A 1-D weight decoded to float (norms, biases); empty only for optional roles. */
    private Optional<float[]> vector(TensorRole role, int layer, int length) {
        String name = naming.name(role, layer);
        return find(role, name).map(t -> {
            if (t.elementCount() != length || t.dim(0) != length) {
                throw shapeError(t, "[" + length + "]");
            }
            float[] v = new float[length];
            kernels.forType(t.type(), name);
            ScalarKernels.decode(t.type(), file.tensorData(t), 0, v, 0, length);
            return v;
        });
    }

    private Optional<GgufTensorInfo> find(TensorRole role, String name) {
        Optional<GgufTensorInfo> info = file.tensor(name);
        if (info.isEmpty() && !arch.isOptional(role)) {
            throw new ModelFormatException(file.path() + ": tensor '" + name + "' (" + role
                    + ") is missing; the file is incomplete or not a " + arch.name() + " model");
        }
        return info;
    }

    private GgufTensorInfo require(String name) {
        return file.tensor(name).orElseThrow(() -> new ModelFormatException(file.path() + ": tensor '" + name
                + "' is missing; the file is incomplete or not a " + arch.name() + " model"));
    }

    private ModelFormatException shapeError(GgufTensorInfo t, String expected) {
        return new ModelFormatException(file.path() + ": tensor '" + t.name() + "' has shape "
                + java.util.Arrays.toString(t.shape()) + ", expected " + expected
                + " from the model's hyper-parameters");
    }
}
