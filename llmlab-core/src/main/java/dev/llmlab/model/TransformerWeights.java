package dev.llmlab.model;

import dev.llmlab.tensor.Matrix;

import java.util.List;

/**
 * All weights of a decoder-only model: views into the model file (never copies) plus small norm vectors decoded
 * to float. The output head is the token embedding itself when the model ties them.
 */
public record TransformerWeights(Matrix tokenEmbedding, List<LayerWeights> layers, float[] outputNorm,
                                 Matrix output) {
    public TransformerWeights {
        layers = List.copyOf(layers);
    }
}
