package dev.llmlab.model;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.kernels.VectorOps;
import dev.llmlab.tensor.ComputePool;

/**
 * An immutable decoder-only transformer: configuration, weights and the threads to compute with. Shareable
 * across threads; each conversation gets its own {@link Session}.
 */
public final class Transformer {
    private final ModelConfig config;
    private final TransformerWeights weights;
    private final ComputePool pool;
    private final VectorOps ops;
    private final float[] ropeInverseFrequencies;

    public Transformer(ModelConfig config, TransformerWeights weights, ComputePool pool, VectorOps ops) {
        this.config = config;
        this.weights = weights;
        this.pool = pool;
        this.ops = ops;
        int half = config.ropeDimensions() / 2;
        this.ropeInverseFrequencies = new float[half];
        for (int i = 0; i < half; i++) {
            ropeInverseFrequencies[i] = (float) Math.pow(config.ropeTheta(), -2.0 * i / config.ropeDimensions());
        }
        config.ropeScaling().apply(ropeInverseFrequencies);
    }

    public ModelConfig config() {
        return config;
    }

    TransformerWeights weights() {
        return weights;
    }

    ComputePool pool() {
        return pool;
    }

    VectorOps ops() {
        return ops;
    }

    float[] ropeInverseFrequencies() {
        return ropeInverseFrequencies;
    }

    /** A new session with a KV cache of {@code contextLength} tokens (at most the model's trained length). */
    public Session newSession(int contextLength) {
        if (contextLength < 1) {
            throw new InvalidRequestException("context length must be at least 1, got " + contextLength);
        }
        if (weights.positionEmbedding() != null && contextLength > weights.positionEmbedding().rows()) {
            throw new InvalidRequestException("a context of " + contextLength + " tokens is longer than the "
                    + weights.positionEmbedding().rows() + " positions this model has learned embeddings for; use "
                    + "--context " + weights.positionEmbedding().rows() + " or less");
        }
        long perLayerFloats = (long) contextLength * config.kvDim();
        long cacheBytes = 2L * config.blockCount() * perLayerFloats * Float.BYTES;
        long maxHeap = Runtime.getRuntime().maxMemory();
        if (perLayerFloats > Integer.MAX_VALUE - 8 || cacheBytes > maxHeap / 10 * 9) {
            throw new InvalidRequestException(String.format(
                    "a KV cache for %d tokens needs %.2f GB but the JVM may use at most %.2f GB: use a smaller "
                            + "--context, or give the JVM more memory (LLMLAB_JAVA_OPTS=-Xmx...)",
                    contextLength, cacheBytes / 1e9, maxHeap / 1e9));
        }
        return new Session(this, contextLength);
    }
}
