package dev.llmlab.model;

/**
 * Keys and values of every layer for positions {@code [0, contextLength)}, stored as float rows of
 * {@code kvDim} values. Owned by one {@link Session}.
 */
final class KvCache {
    private final float[][] keys;
    private final float[][] values;
    private final int kvDim;
    private final int contextLength;

    KvCache(int layers, int contextLength, int kvDim) {
        this.kvDim = kvDim;
        this.contextLength = contextLength;
        this.keys = new float[layers][];
        this.values = new float[layers][];
        for (int l = 0; l < layers; l++) {
            keys[l] = new float[Math.multiplyExact(contextLength, kvDim)];
            values[l] = new float[Math.multiplyExact(contextLength, kvDim)];
        }
    }

    float[] keys(int layer) {
        return keys[layer];
    }

    float[] values(int layer) {
        return values[layer];
    }

    int kvDim() {
        return kvDim;
    }

    int contextLength() {
        return contextLength;
    }

    long sizeBytes() {
        return 2L * keys.length * contextLength * kvDim * Float.BYTES;
    }
}
