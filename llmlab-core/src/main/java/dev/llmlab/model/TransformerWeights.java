package dev.llmlab.model;

import dev.llmlab.tensor.Matrix;

import java.util.List;

/**
 * All weights of a decoder-only model: views into the model file (copies only where the source layout must be
 * changed, e.g. transposed or quantized at load) plus small norm vectors decoded to float. The output head is the
 * token embedding itself when the model ties them.
 *
 * @param positionEmbedding learned position embeddings (GPT-2), else null
 * @param outputNormBias    LayerNorm bias of the final norm, else null
 */
public record TransformerWeights(Matrix tokenEmbedding, Matrix positionEmbedding, List<LayerWeights> layers,
                                 float[] outputNorm, float[] outputNormBias, Matrix output) {
    public TransformerWeights {
        layers = List.copyOf(layers);
    }

    public TransformerWeights(Matrix tokenEmbedding, List<LayerWeights> layers, float[] outputNorm, Matrix output) {
        this(tokenEmbedding, null, layers, outputNorm, null, output);
    }
}
