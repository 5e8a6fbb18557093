package dev.llmlab.model;

import dev.llmlab.error.ModelFormatException;

import java.util.Objects;

/**
 * Hyper-parameters of a decoder-only transformer, read once from the model's metadata.
 *
 * @param architecture      e.g. {@code llama}, {@code qwen2}, {@code gpt2}
 * @param vocabSize         rows of the token embedding
 * @param embeddingLength   model width d
 * @param blockCount        layers
 * @param headCount         attention (query) heads
 * @param headCountKv       key/value heads (grouped-query attention when fewer than headCount)
 * @param headDim           dimensions per head
 * @param feedForwardLength hidden width of the FFN
 * @param contextLength     trained context length
 * @param normEps           RMSNorm / LayerNorm epsilon
 * @param ropeTheta         RoPE frequency base
 * @param ropeDimensions    dimensions per head that RoPE rotates (usually headDim; 0 with learned positions)
 * @param ropeLayout        which dimension pairs RoPE rotates
 * @param design            norm, feed-forward and position scheme of the blocks
 * @param ropeScaling       how RoPE frequencies are stretched (Llama 3, linear) or none
 * @param slidingWindow     tokens each position attends to (itself included), 0 = the whole context (Mistral)
 */
public record ModelConfig(String architecture, int vocabSize, int embeddingLength, int blockCount, int headCount,
                          int headCountKv, int headDim, int feedForwardLength, int contextLength, float normEps,
                          float ropeTheta, int ropeDimensions, RopeLayout ropeLayout, BlockDesign design,
                          RopeScaling ropeScaling, int slidingWindow) {

    public ModelConfig {
        Objects.requireNonNull(design, "design");
        Objects.requireNonNull(ropeScaling, "ropeScaling");
        require(vocabSize > 0, "vocab size", vocabSize);
        require(embeddingLength > 0, "embedding length", embeddingLength);
        require(blockCount > 0, "block count", blockCount);
        require(headCount > 0, "head count", headCount);
        require(headCountKv > 0 && headCount % headCountKv == 0, "KV head count (must divide head count "
                + headCount + ")", headCountKv);
        require(headDim > 0 && headDim % 2 == 0, "head dimension (must be even)", headDim);
        require(feedForwardLength > 0, "feed-forward length", feedForwardLength);
        require(contextLength > 0, "context length", contextLength);
        if (design.positions() == BlockDesign.Positions.ROPE) {
            require(ropeDimensions > 0 && ropeDimensions <= headDim && ropeDimensions % 2 == 0,
                    "RoPE dimension count (even, at most the head dimension " + headDim + ")", ropeDimensions);
        } else {
            require(ropeDimensions == 0, "RoPE dimension count (0 with learned positions)", ropeDimensions);
        }
        require(slidingWindow >= 0, "sliding window", slidingWindow);
    }

    /** A Llama-style model (RMSNorm, SwiGLU, RoPE) without rope scaling or sliding window. */
    public ModelConfig(String architecture, int vocabSize, int embeddingLength, int blockCount, int headCount,
                       int headCountKv, int headDim, int feedForwardLength, int contextLength, float normEps,
                       float ropeTheta, int ropeDimensions, RopeLayout ropeLayout) {
        this(architecture, vocabSize, embeddingLength, blockCount, headCount, headCountKv, headDim,
                feedForwardLength, contextLength, normEps, ropeTheta, ropeDimensions, ropeLayout, BlockDesign.LLAMA,
                new RopeScaling.None(), 0);
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
