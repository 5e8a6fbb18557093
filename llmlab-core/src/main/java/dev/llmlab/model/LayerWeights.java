package dev.llmlab.model;

import dev.llmlab.tensor.Matrix;

/**
 * The weights of one decoder block. Bias arrays are null when the architecture has none (a null check per
 * matrix-vector product is cheaper than adding zeros).
 */
public record LayerWeights(float[] attnNorm, Matrix wq, Matrix wk, Matrix wv, float[] bq, float[] bk, float[] bv,
                           Matrix wo, float[] ffnNorm, Matrix gate, Matrix up, Matrix down) {
}
