package dev.llmlab.model;

import dev.llmlab.tensor.Matrix;

/**
 * The weights of one decoder block. Bias arrays are null when the architecture has none (a null check per
 * matrix-vector product is cheaper than adding zeros); {@code gate} is null for a plain (ungated) MLP.
 */
public record LayerWeights(float[] attnNorm, float[] attnNormBias, Matrix wq, Matrix wk, Matrix wv, float[] bq,
                           float[] bk, float[] bv, Matrix wo, float[] bo, float[] ffnNorm, float[] ffnNormBias,
                           Matrix gate, Matrix up, float[] upBias, Matrix down, float[] downBias) {

    /** A Llama-style block: RMSNorm, optional q/k/v biases, SwiGLU. */
    public LayerWeights(float[] attnNorm, Matrix wq, Matrix wk, Matrix wv, float[] bq, float[] bk, float[] bv,
                        Matrix wo, float[] ffnNorm, Matrix gate, Matrix up, Matrix down) {
        this(attnNorm, null, wq, wk, wv, bq, bk, bv, wo, null, ffnNorm, null, gate, up, null, down, null);
    }
}
