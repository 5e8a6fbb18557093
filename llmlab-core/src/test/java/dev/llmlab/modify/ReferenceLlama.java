package dev.llmlab.modify;

import dev.llmlab.gguf.GgufMetadata;
import dev.llmlab.gguf.GgufModel;

import java.util.Map;

/**
 * A plain, slow forward pass of a GGUF llama model with F32 weights (RMSNorm, interleaved RoPE, grouped-query
 * causal attention, SwiGLU), written from the architecture's definition for tests, with an optional run-time LoRA
 * term on any matrix: {@code y = W x + s * P(B (A x))}, P mapping HF row order to GGUF row order.
 */
final class ReferenceLlama {
    /** A run-time LoRA term for one GGUF tensor. */
    record Lora(float[] a, float[] b, int rank, double scale, java.util.function.IntUnaryOperator hfRowOf) {
    }

    private final GgufModel model;
    private final Map<String, Lora> lora;
    private final int dim;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final int layers;
    private final float eps;
    private final float theta;

    ReferenceLlama(GgufModel model, Map<String, Lora> lora) {
        this.model = model;
        this.lora = lora;
        GgufMetadata md = new GgufMetadata(model.source(), model.metadata());
        dim = md.count("llama.embedding_length");
        heads = md.count("llama.attention.head_count");
        kvHeads = md.count("llama.attention.head_count_kv", heads);
        headDim = dim / heads;
        layers = md.count("llama.block_count");
        eps = md.optFloat("llama.attention.layer_norm_rms_epsilon").orElse(1e-5f);
        theta = md.optFloat("llama.rope.freq_base").orElse(10_000f);
    }

    private float[] w(String name) {
        return ModelDigest.floats(model.tensor(name).orElseThrow());
    }

    /** y = W x (+ LoRA), W stored as rows of length x.length. */
    private float[] matVec(String name, float[] x) {
        float[] w = w(name);
        int out = w.length / x.length;
        float[] y = new float[out];
        for (int r = 0; r < out; r++) {
            double acc = 0;
            for (int c = 0; c < x.length; c++) {
                acc += (double) w[r * x.length + c] * x[c];
            }
            y[r] = (float) acc;
        }
        Lora l = lora.get(name);
        if (l != null) {
            double[] ax = new double[l.rank()];
            for (int k = 0; k < l.rank(); k++) {
                for (int c = 0; c < x.length; c++) {
                    ax[k] += (double) l.a()[k * x.length + c] * x[c];
                }
            }
            for (int r = 0; r < out; r++) {
                int hf = l.hfRowOf().applyAsInt(r);
                double bax = 0;
                for (int k = 0; k < l.rank(); k++) {
                    bax += l.b()[hf * l.rank() + k] * ax[k];
                }
                y[r] += (float) (l.scale() * bax);
            }
        }
        return y;
    }

    private float[] rmsNorm(float[] x, String weight) {
        float[] w = w(weight);
        double ss = 0;
        for (float v : x) {
            ss += v * v;
        }
        float inv = (float) (1 / Math.sqrt(ss / x.length + eps));
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * inv * w[i];
        }
        return y;
    }

    private void rope(float[] v, int pos) {
        for (int h = 0; h < v.length / headDim; h++) {
            for (int i = 0; i < headDim / 2; i++) {
                double angle = pos * Math.pow(theta, -2.0 * i / headDim);
                int at = h * headDim + 2 * i;
                double x0 = v[at];
                double x1 = v[at + 1];
                v[at] = (float) (x0 * Math.cos(angle) - x1 * Math.sin(angle));
                v[at + 1] = (float) (x0 * Math.sin(angle) + x1 * Math.cos(angle));
            }
        }
    }

    /** The logits after the last token. */
    float[] logits(int[] tokens) {
        int n = tokens.length;
        float[] embd = w("token_embd.weight");
        float[][] x = new float[n][dim];
        for (int t = 0; t < n; t++) {
            System.arraycopy(embd, tokens[t] * dim, x[t], 0, dim);
        }
        int kvDim = kvHeads * headDim;
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            float[][] q = new float[n][];
            float[][] k = new float[n][];
            float[][] v = new float[n][];
            for (int t = 0; t < n; t++) {
                float[] h = rmsNorm(x[t], p + "attn_norm.weight");
                q[t] = matVec(p + "attn_q.weight", h);
                k[t] = matVec(p + "attn_k.weight", h);
                v[t] = matVec(p + "attn_v.weight", h);
                rope(q[t], t);
                rope(k[t], t);
            }
            for (int t = 0; t < n; t++) {
                float[] att = new float[dim];
                for (int h = 0; h < heads; h++) {
                    int kvh = h / (heads / kvHeads);
                    double[] scores = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int s = 0; s <= t; s++) {
                        double dot = 0;
                        for (int i = 0; i < headDim; i++) {
                            dot += q[t][h * headDim + i] * k[s][kvh * headDim + i];
                        }
                        scores[s] = dot / Math.sqrt(headDim);
                        max = Math.max(max, scores[s]);
                    }
                    double sum = 0;
                    for (int s = 0; s <= t; s++) {
                        scores[s] = Math.exp(scores[s] - max);
                        sum += scores[s];
                    }
                    for (int s = 0; s <= t; s++) {
                        for (int i = 0; i < headDim; i++) {
                            att[h * headDim + i] += (float) (scores[s] / sum * v[s][kvh * headDim + i]);
                        }
                    }
                }
                float[] o = matVec(p + "attn_output.weight", att);
                for (int i = 0; i < dim; i++) {
                    x[t][i] += o[i];
                }
                float[] h = rmsNorm(x[t], p + "ffn_norm.weight");
                float[] gate = matVec(p + "ffn_gate.weight", h);
                float[] up = matVec(p + "ffn_up.weight", h);
                for (int i = 0; i < gate.length; i++) {
                    gate[i] = (float) (gate[i] / (1 + Math.exp(-gate[i])) * up[i]);
                }
                float[] down = matVec(p + "ffn_down.weight", gate);
                for (int i = 0; i < dim; i++) {
                    x[t][i] += down[i];
                }
            }
            if (kvDim == 0) {
                throw new AssertionError();
            }
        }
        float[] h = rmsNorm(x[n - 1], "output_norm.weight");
        return matVec(model.tensor("output.weight").isPresent() ? "output.weight" : "token_embd.weight", h);
    }
}
