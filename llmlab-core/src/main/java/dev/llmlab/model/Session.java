package dev.llmlab.model;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.kernels.VectorOps;
import dev.llmlab.tensor.ComputePool;
import dev.llmlab.tensor.Matrix;

import java.util.Arrays;

/**
 * One sequence being processed: the KV cache, the position, and scratch buffers. Used by one thread at a time.
 * Prompts are processed in batches (matrix-matrix work, each weight row read once per batch); generation feeds
 * one token at a time.
 */
public final class Session {
    /** Tokens processed together during prompt processing; bounds scratch memory. */
    public static final int MAX_BATCH = 64;

    private final Transformer model;
    private final ModelConfig c;
    private final TransformerWeights w;
    private final ComputePool pool;
    private final VectorOps ops;
    private final KvCache cache;
    private int position;
    private final boolean learnedPositions;
    private final boolean layerNorm;
    private final boolean gatedFeedForward;

    // scratch, sized for MAX_BATCH tokens
    private final float[] x;
    private final float[] xb;
    private final float[] q;
    private final float[] k;
    private final float[] v;
    private final float[] att;
    private final float[] gate;
    private final float[] up;
    private final float[] last;
    private final float[] logits;
    private final float[] ropeCos;
    private final float[] ropeSin;

    Session(Transformer model, int contextLength) {
        this.model = model;
        this.c = model.config();
        this.w = model.weights();
        this.pool = model.pool();
        this.ops = model.ops();
        this.cache = new KvCache(c.blockCount(), contextLength, c.kvDim());
        this.learnedPositions = c.design().positions() == BlockDesign.Positions.LEARNED;
        this.layerNorm = c.design().normalization() == BlockDesign.Normalization.LAYER_NORM;
        this.gatedFeedForward = c.design().feedForward() == BlockDesign.FeedForward.SWIGLU;
        int d = c.embeddingLength();
        x = new float[MAX_BATCH * d];
        xb = new float[MAX_BATCH * Math.max(d, c.queryDim())];
        q = new float[MAX_BATCH * c.queryDim()];
        k = new float[MAX_BATCH * c.kvDim()];
        v = new float[MAX_BATCH * c.kvDim()];
        att = new float[MAX_BATCH * c.queryDim()];
        gate = gatedFeedForward ? new float[MAX_BATCH * c.feedForwardLength()] : new float[0];
        up = new float[MAX_BATCH * c.feedForwardLength()];
        last = new float[d];
        logits = new float[c.vocabSize()];
        ropeCos = new float[MAX_BATCH * c.ropeDimensions() / 2];
        ropeSin = new float[MAX_BATCH * c.ropeDimensions() / 2];
    }

    /** Tokens processed so far (the next token's position). */
    public int position() {
        return position;
    }

    public int contextLength() {
        return cache.contextLength();
    }

    public ModelConfig config() {
        return c;
    }

    public long kvCacheBytes() {
        return cache.sizeBytes();
    }

    /** Bytes of the activation and scratch buffers this session allocated (array payloads), for memory estimates. */
    public long scratchBytes() {
        long floats = 0;
        for (float[] a : new float[][]{x, xb, q, k, v, att, gate, up, last, logits, ropeCos, ropeSin}) {
            floats += a.length;
        }
        return floats * Float.BYTES;
    }

    /** Forgets everything processed so far. */
    public void reset() {
        position = 0;
    }

    /**
     * Processes tokens at the current position and returns the next-token logits after the last one. The
     * returned array is reused by the next call.
     */
    public float[] ingest(int[] tokens) {
        checkTokens(tokens);
        for (int start = 0; start < tokens.length; start += MAX_BATCH) {
            int n = Math.min(MAX_BATCH, tokens.length - start);
            forward(tokens, start, n);
        }
        return logits;
    }

    private void checkTokens(int[] tokens) {
        if (tokens.length == 0) {
            throw new InvalidRequestException("nothing to process: the token list is empty");
        }
        if (position + tokens.length > cache.contextLength()) {
            throw new InvalidRequestException("context full: " + position + " + " + tokens.length
                    + " tokens exceed the context length " + cache.contextLength()
                    + "; use a shorter prompt or a larger --context");
        }
        for (int id : tokens) {
            if (id < 0 || id >= c.vocabSize()) {
                throw new InvalidRequestException("token id " + id + " is outside the vocabulary (0.."
                        + (c.vocabSize() - 1) + ")");
            }
        }
    }

    /** Processes one token and returns the next-token logits. */
    public float[] next(int token) {
        return ingest(new int[]{token});
    }

    /** Receives the next-token logits after one token of a prompt (the array is reused after the call). */
    @FunctionalInterface
    public interface LogitsSink {
        void accept(int tokenIndex, float[] logits);
    }

    /**
     * Processes tokens like {@link #ingest(int[])} and hands {@code sink} the next-token logits after every token
     * whose index is at least {@code firstOutput}, in order: what perplexity needs (llama.cpp's
     * {@code batch.logits[i] = 1}). Costs one output projection per such token.
     */
    public void ingest(int[] tokens, int firstOutput, LogitsSink sink) {
        checkTokens(tokens);
        for (int start = 0; start < tokens.length; start += MAX_BATCH) {
            int n = Math.min(MAX_BATCH, tokens.length - start);
            forward(tokens, start, n, firstOutput, sink);
        }
    }

    private void forward(int[] tokens, int offset, int n) {
        forward(tokens, offset, n, Integer.MAX_VALUE, null);
    }

    private void forward(int[] tokens, int offset, int n, int firstOutput, LogitsSink sink) {
        int d = c.embeddingLength();
        for (int b = 0; b < n; b++) {
            w.tokenEmbedding().row(tokens[offset + b], x, b * d);
        }
        if (learnedPositions) {
            for (int b = 0; b < n; b++) {
                w.positionEmbedding().row(position + b, xb, 0);
                for (int i = 0; i < d; i++) {
                    x[b * d + i] += xb[i];
                }
            }
        } else {
            prepareRope(n);
        }
        for (int l = 0; l < c.blockCount(); l++) {
            LayerWeights lw = w.layers().get(l);
            attentionBlock(l, lw, n);
            feedForwardBlock(lw, n);
        }
        if (sink != null) {
            for (int b = Math.max(0, firstOutput - offset); b < n; b++) {
                outputLogits(b);
                sink.accept(offset + b, logits);
            }
        } else {
            outputLogits(n - 1);
        }
        position += n;
    }

    private void outputLogits(int batchIndex) {
        int d = c.embeddingLength();
        System.arraycopy(x, batchIndex * d, last, 0, d);
        norm(last, 0, last, 0, w.outputNorm(), w.outputNormBias());
        w.output().matVec(last, logits, pool);
    }

    private void attentionBlock(int layer, LayerWeights lw, int n) {
        int d = c.embeddingLength();
        int qDim = c.queryDim();
        int kvDim = c.kvDim();
        for (int b = 0; b < n; b++) {
            norm(x, b * d, xb, b * d, lw.attnNorm(), lw.attnNormBias());
        }
        multiply(lw.wq(), xb, n, q);
        multiply(lw.wk(), xb, n, k);
        multiply(lw.wv(), xb, n, v);
        addBias(q, lw.bq(), n, qDim);
        addBias(k, lw.bk(), n, kvDim);
        addBias(v, lw.bv(), n, kvDim);
        if (!learnedPositions) {
            for (int b = 0; b < n; b++) {
                rope(q, b * qDim, c.headCount(), b);
                rope(k, b * kvDim, c.headCountKv(), b);
            }
        }
        float[] keys = cache.keys(layer);
        float[] values = cache.values(layer);
        System.arraycopy(k, 0, keys, position * kvDim, n * kvDim);
        System.arraycopy(v, 0, values, position * kvDim, n * kvDim);

        int heads = c.headCount();
        int headDim = c.headDim();
        int group = heads / c.headCountKv();
        float scale = (float) (1.0 / Math.sqrt(headDim));
        int window = c.slidingWindow();
        pool.parallelFor(n * heads, (long) (position + n) * headDim, (start, end) -> {
            float[] scores = new float[position + n];
            for (int task = start; task < end; task++) {
                int b = task / heads;
                int h = task % heads;
                int kvOffset = (h / group) * headDim;
                int qOffset = b * qDim + h * headDim;
                int length = position + b + 1;
                int first = window > 0 ? Math.max(0, length - window) : 0;
                float max = Float.NEGATIVE_INFINITY;
                for (int t = first; t < length; t++) {
                    float s = ops.dot(q, qOffset, keys, t * kvDim + kvOffset, headDim) * scale;
                    scores[t] = s;
                    max = Math.max(max, s);
                }
                float sum = 0f;
                for (int t = first; t < length; t++) {
                    float e = (float) Math.exp(scores[t] - max);
                    scores[t] = e;
                    sum += e;
                }
                float inv = 1f / sum;
                int outOffset = b * qDim + h * headDim;
                Arrays.fill(att, outOffset, outOffset + headDim, 0f);
                for (int t = first; t < length; t++) {
                    ops.axpy(scores[t] * inv, values, t * kvDim + kvOffset, att, outOffset, headDim);
                }
            }
        });
        multiply(lw.wo(), att, n, xb);
        addBias(xb, lw.bo(), n, d);
        for (int i = 0; i < n * d; i++) {
            x[i] += xb[i];
        }
    }

    private void feedForwardBlock(LayerWeights lw, int n) {
        int d = c.embeddingLength();
        int ff = c.feedForwardLength();
        for (int b = 0; b < n; b++) {
            norm(x, b * d, xb, b * d, lw.ffnNorm(), lw.ffnNormBias());
        }
        multiply(lw.up(), xb, n, up);
        addBias(up, lw.upBias(), n, ff);
        if (gatedFeedForward) {
            multiply(lw.gate(), xb, n, gate);
            for (int i = 0; i < n * ff; i++) {
                float g = gate[i];
                up[i] = g / (1f + (float) Math.exp(-g)) * up[i];
            }
        } else {
            for (int i = 0; i < n * ff; i++) {
                up[i] = geluTanh(up[i]);
            }
        }
        multiply(lw.down(), up, n, xb);
        addBias(xb, lw.downBias(), n, d);
        for (int i = 0; i < n * d; i++) {
            x[i] += xb[i];
        }
    }

    /** GELU, tanh approximation (GPT-2's gelu_new). */
    static float geluTanh(float v) {
        double inner = 0.7978845608028654 * (v + 0.044715 * v * v * v);
        return (float) (0.5 * v * (1 + Math.tanh(inner)));
    }

    private void multiply(Matrix m, float[] in, int n, float[] out) {
        if (n == 1) {
            m.matVec(in, 0, out, 0, pool);
        } else {
            m.matMul(in, n, out, pool);
        }
    }

    private static void addBias(float[] out, float[] bias, int n, int dim) {
        if (bias == null) {
            return;
        }
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < dim; i++) {
                out[b * dim + i] += bias[i];
            }
        }
    }

    /** cos/sin of every rotated frequency for the n positions of this batch, shared by all layers and heads. */
    private void prepareRope(int n) {
        float[] inv = model.ropeInverseFrequencies();
        int half = inv.length;
        for (int b = 0; b < n; b++) {
            int pos = position + b;
            for (int i = 0; i < half; i++) {
                double angle = pos * (double) inv[i];
                ropeCos[b * half + i] = (float) Math.cos(angle);
                ropeSin[b * half + i] = (float) Math.sin(angle);
            }
        }
    }

    private void rope(float[] vec, int offset, int heads, int batchIndex) {
        int headDim = c.headDim();
        int half = c.ropeDimensions() / 2;
        int table = batchIndex * half;
        boolean neox = c.ropeLayout() == RopeLayout.NEOX;
        for (int h = 0; h < heads; h++) {
            int base = offset + h * headDim;
            for (int i = 0; i < half; i++) {
                int a = neox ? base + i : base + 2 * i;
                int bIdx = neox ? base + i + half : base + 2 * i + 1;
                float cos = ropeCos[table + i];
                float sin = ropeSin[table + i];
                float x0 = vec[a];
                float x1 = vec[bIdx];
                vec[a] = x0 * cos - x1 * sin;
                vec[bIdx] = x0 * sin + x1 * cos;
            }
        }
    }

    private void norm(float[] in, int inOffset, float[] out, int outOffset, float[] weight, float[] bias) {
        int d = c.embeddingLength();
        if (layerNorm) {
            layerNorm(in, inOffset, out, outOffset, weight, bias, d, c.normEps());
        } else {
            rmsNorm(in, inOffset, out, outOffset, weight, d, c.normEps());
        }
    }

    static void layerNorm(float[] in, int inOffset, float[] out, int outOffset, float[] weight, float[] bias,
                          int size, float eps) {
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += in[inOffset + i];
        }
        double mean = sum / size;
        double ss = 0;
        for (int i = 0; i < size; i++) {
            double dev = in[inOffset + i] - mean;
            ss += dev * dev;
        }
        float scale = (float) (1.0 / Math.sqrt(ss / size + eps));
        float m = (float) mean;
        for (int i = 0; i < size; i++) {
            float v = (in[inOffset + i] - m) * scale * weight[i];
            out[outOffset + i] = bias == null ? v : v + bias[i];
        }
    }

    static void rmsNorm(float[] in, int inOffset, float[] out, int outOffset, float[] weight, int size, float eps) {
        double ss = 0;
        for (int i = 0; i < size; i++) {
            float f = in[inOffset + i];
            ss += f * f;
        }
        float scale = (float) (1.0 / Math.sqrt(ss / size + eps));
        for (int i = 0; i < size; i++) {
            out[outOffset + i] = in[inOffset + i] * scale * weight[i];
        }
    }
}
