package dev.llmlab.model;

import dev.llmlab.error.ModelFormatException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.kernels.KernelRegistry;
import dev.llmlab.kernels.ScalarKernels;
import dev.llmlab.tensor.ComputePool;
import dev.llmlab.tensor.Matrix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds {@link TransformerWeights} from any {@link TensorStore}: finds each role's tensor through the source's
 * {@link TensorNaming}, checks its shape against the hyper-parameters, and makes a {@link Matrix} of it. Matrices are
 * views of the file unless they must change: stored transposed (GPT-2 Conv1D) or converted to the plan's type
 * ({@code --dtype}, automatic Q8_0); those are written once into {@code arena}, which the model owns.
 */
final class WeightsAssembler {
    private final TensorStore store;
    private final TensorNaming naming;
    private final Architecture arch;
    private final KernelRegistry kernels;
    private final WeightPlan plan;
    private final Arena arena;
    private final ComputePool pool;

    WeightsAssembler(TensorStore store, TensorNaming naming, Architecture arch, KernelRegistry kernels,
                     WeightPlan plan, Arena arena, ComputePool pool) {
        this.store = store;
        this.naming = naming;
        this.arch = arch;
        this.kernels = kernels;
        this.plan = plan;
        this.arena = arena;
        this.pool = pool;
    }

    TransformerWeights weights(ModelConfig c) {
        int d = c.embeddingLength();
        Matrix embedding = matrix(TensorRole.TOKEN_EMBEDDING, -1, c.vocabSize(), d).orElseThrow();
        Matrix positions = c.design().positions() == BlockDesign.Positions.LEARNED
                ? positionEmbedding(c) : null;
        boolean gated = c.design().feedForward() == BlockDesign.FeedForward.SWIGLU;
        boolean normBiases = c.design().normalization() == BlockDesign.Normalization.LAYER_NORM;
        List<LayerWeights> layers = new ArrayList<>(c.blockCount());
        for (int l = 0; l < c.blockCount(); l++) {
            Matrix wq;
            Matrix wk;
            Matrix wv;
            float[] bq;
            float[] bk;
            float[] bv;
            if (arch.fusedQkv()) {
                Matrix qkv = matrix(TensorRole.ATTN_QKV, l, c.queryDim() + 2 * c.kvDim(), d).orElseThrow();
                wq = rows(qkv, 0, c.queryDim());
                wk = rows(qkv, c.queryDim(), c.kvDim());
                wv = rows(qkv, c.queryDim() + c.kvDim(), c.kvDim());
                float[] b = vector(TensorRole.ATTN_QKV_BIAS, l, c.queryDim() + 2 * c.kvDim()).orElse(null);
                bq = b == null ? null : java.util.Arrays.copyOfRange(b, 0, c.queryDim());
                bk = b == null ? null : java.util.Arrays.copyOfRange(b, c.queryDim(), c.queryDim() + c.kvDim());
                bv = b == null ? null : java.util.Arrays.copyOfRange(b, c.queryDim() + c.kvDim(), b.length);
            } else {
                wq = matrix(TensorRole.ATTN_Q, l, c.queryDim(), d).orElseThrow();
                wk = matrix(TensorRole.ATTN_K, l, c.kvDim(), d).orElseThrow();
                wv = matrix(TensorRole.ATTN_V, l, c.kvDim(), d).orElseThrow();
                bq = vector(TensorRole.ATTN_Q_BIAS, l, c.queryDim()).orElse(null);
                bk = vector(TensorRole.ATTN_K_BIAS, l, c.kvDim()).orElse(null);
                bv = vector(TensorRole.ATTN_V_BIAS, l, c.kvDim()).orElse(null);
            }
            layers.add(new LayerWeights(
                    vector(TensorRole.ATTN_NORM, l, d).orElseThrow(),
                    normBiases ? vector(TensorRole.ATTN_NORM_BIAS, l, d).orElseThrow() : null,
                    wq, wk, wv, bq, bk, bv,
                    matrix(TensorRole.ATTN_OUT, l, d, c.queryDim()).orElseThrow(),
                    vector(TensorRole.ATTN_OUT_BIAS, l, d).orElse(null),
                    vector(TensorRole.FFN_NORM, l, d).orElseThrow(),
                    normBiases ? vector(TensorRole.FFN_NORM_BIAS, l, d).orElseThrow() : null,
                    gated ? matrix(TensorRole.FFN_GATE, l, c.feedForwardLength(), d).orElseThrow() : null,
                    matrix(TensorRole.FFN_UP, l, c.feedForwardLength(), d).orElseThrow(),
                    vector(TensorRole.FFN_UP_BIAS, l, c.feedForwardLength()).orElse(null),
                    matrix(TensorRole.FFN_DOWN, l, d, c.feedForwardLength()).orElseThrow(),
                    vector(TensorRole.FFN_DOWN_BIAS, l, d).orElse(null)));
        }
        float[] outputNorm = vector(TensorRole.OUTPUT_NORM, -1, d).orElseThrow();
        float[] outputNormBias = normBiases ? vector(TensorRole.OUTPUT_NORM_BIAS, -1, d).orElseThrow() : null;
        Matrix output = matrix(TensorRole.OUTPUT, -1, c.vocabSize(), d).orElse(embedding);
        return new TransformerWeights(embedding, positions, layers, outputNorm, outputNormBias, output);
    }

    /** Learned positions: at least one row per position of the trained context. */
    private Matrix positionEmbedding(ModelConfig c) {
        String name = naming.name(TensorRole.POSITION_EMBEDDING);
        StoredTensor t = find(TensorRole.POSITION_EMBEDDING, name).orElseThrow();
        if (t.rank() != 2 || t.dim(0) != c.embeddingLength() || t.dim(1) < c.contextLength()) {
            throw shapeError(t, "[" + c.embeddingLength() + ", >= " + c.contextLength() + "]");
        }
        return matrix(TensorRole.POSITION_EMBEDDING, -1, (int) t.dim(1), c.embeddingLength()).orElseThrow();
    }

    /** Rows {@code [first, first + count)} of a matrix, as a view. */
    private static Matrix rows(Matrix m, int first, int count) {
        long rowBytes = m.rowBytes();
        return new Matrix(m.name() + "[" + first + ".." + (first + count) + ")", m.type(),
                m.data().asSlice(first * rowBytes, count * rowBytes), count, m.cols(), m.kernel());
    }

    /** A 2-D weight of {@code rows x cols} (GGML shape [cols, rows]); empty only for optional roles. */
    private Optional<Matrix> matrix(TensorRole role, int layer, int rows, int cols) {
        String name = naming.name(role, layer);
        boolean transposed = naming.isTransposed(role);
        return find(role, name).map(t -> {
            long storedRows = transposed ? cols : rows;
            long storedCols = transposed ? rows : cols;
            if (t.rank() != 2 || t.dim(0) != storedCols || t.dim(1) != storedRows) {
                throw shapeError(t, "[" + storedCols + ", " + storedRows + "]");
            }
            // Position embeddings stay as stored, as llama.cpp's converter keeps them F32.
            GgmlType target = role == TensorRole.POSITION_EMBEDDING ? t.type() : targetType(t.type(), cols, transposed);
            if (!transposed && target == t.type()) {
                return new Matrix(name, t.type(), t.data(), rows, cols, kernels.forType(t.type(), name));
            }
            MemorySegment converted = arena.allocate(target.bytesFor((long) rows * cols), 64);
            WeightConversion.convert(t, transposed, rows, cols, target, converted, pool);
            return new Matrix(name, target, converted, rows, cols, kernels.forType(target, name));
        });
    }

    /** The plan's type when it can hold rows of this length (whole blocks), else the stored type. */
    private GgmlType targetType(GgmlType stored, int cols, boolean transposed) {
        GgmlType wanted = plan.matrixType();
        if (wanted != null && cols % wanted.blockSize() == 0) {
            return wanted;
        }
        // A transposed quantized tensor cannot keep its blocks; plain floats can.
        return transposed && stored.blockSize() != 1 ? GgmlType.F32 : stored;
    }

    /** A 1-D weight decoded to float (norms, biases); empty only for optional roles. */
    private Optional<float[]> vector(TensorRole role, int layer, int length) {
        if (!naming.has(role)) {
            return Optional.empty();
        }
        String name = naming.name(role, layer);
        return find(role, name).map(t -> {
            if (t.elementCount() != length || t.dim(0) != length) {
                throw shapeError(t, "[" + length + "]");
            }
            float[] v = new float[length];
            kernels.forType(t.type(), name);
            ScalarKernels.decode(t.type(), t.data(), 0, v, 0, length);
            return v;
        });
    }

    private Optional<StoredTensor> find(TensorRole role, String name) {
        Optional<StoredTensor> info = store.find(name);
        if (info.isEmpty() && !arch.isOptional(role)) {
            throw new ModelFormatException(store.location() + ": tensor '" + name + "' (" + role
                    + ") is missing; the checkpoint is incomplete or not a " + arch.name() + " model");
        }
        return info;
    }

    private ModelFormatException shapeError(StoredTensor t, String expected) {
        return new ModelFormatException(store.location() + ": tensor '" + t.name() + "' has shape "
                + t.shapeText() + ", expected " + expected + " from the model's hyper-parameters");
    }
}
