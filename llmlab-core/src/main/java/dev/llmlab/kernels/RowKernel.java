package dev.llmlab.kernels;

import dev.llmlab.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * Computes with rows of one tensor type stored in a {@link MemorySegment}. One instance per type and
 * implementation (scalar reference or Vector API), chosen once at load time by {@link KernelRegistry}.
 * Offsets are byte offsets of a block boundary; counts are multiples of the type's block size.
 */
public interface RowKernel {

    GgmlType type();

    /** The dot product of {@code count} stored values starting at {@code byteOffset} with {@code x[xOffset..]}. */
    float dot(MemorySegment data, long byteOffset, float[] x, int xOffset, int count);

    /** Decodes {@code count} stored values starting at {@code byteOffset} into {@code out[outOffset..]}. */
    void dequantize(MemorySegment data, long byteOffset, float[] out, int outOffset, int count);
}
