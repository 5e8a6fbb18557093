package dev.llmlab.model;

import dev.llmlab.error.ModelFormatException;

/**
 * Hyper-parameters of a decoder-only transformer, read once from the model's metadata.
 *
 * @param architecture      e.g. {@code llama}, {@code qwen2}
 * @param vocabSize         rows of the token embedding
 * @param embeddingLength   model width d
 * @param blockCount        layers
 * @param headCount         attention (query) heads
 * @param headCountKv       key/value heads (grouped-query attention when fewer than headCount)
 * @param headDim           dimensions per head
 * @param feedForwardLength hidden width of the FFN
 * @param contextLength     trained context length
 * @param normEps           RMSNorm epsilon
 * @param ropeTheta         RoPE frequency base
 * @param ropeDimensions    dimensions per head that RoPE rotates (usually headDim)
 * @param ropeLayout        which dimension pairs RoPE rotates
 */
public record ModelConfig(String architecture, int vocabSize, int embeddingLength, int blockCount, int headCount,
                          int headCountKv, int headDim, int feedForwardLength, int contextLength, float normEps,
                          float ropeTheta, int ropeDimensions, RopeLayout ropeLayout) {

    public ModelConfig {
        require(vocabSize > 0, "vocab size", vocabSize);
        require(embeddingLength > 0, "embedding length", embeddingLength);
        require(blockCount > 0, "block count", blockCount);
        require(headCount > 0, "head count", headCount);
        require(headCountKv > 0 && headCount % headCountKv == 0, "KV head count (must divide head count "
                + headCount + ")", headCountKv);
        require(headDim > 0 && headDim % 2 == 0, "head dimension (must be even)", headDim);
        require(feedForwardLength > 0, "feed-forward length", feedForwardLength);
        require(contextLength > 0, "context length", contextLength);
        require(ropeDimensions > 0 && ropeDimensions <= headDim && ropeDimensions % 2 == 0,
                "RoPE dimension count (even, at most the head dimension " + headDim + ")", ropeDimensions);
    }

    private static void require(boolean ok, String what, int value) {
        if (!ok) {
            throw new ModelFormatException("invalid model hyper-parameter: " + what + " = " + value);
        }
    }

    public int kvDim() {
        return headCountKv * headDim;
    }

    public int queryDim() {
        return headCount * headDim;
    }
}
