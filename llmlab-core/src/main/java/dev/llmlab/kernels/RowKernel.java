package dev.llmlab.kernels;

import dev.llmlab.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * Computes with rows of one tensor type stored in a {@link MemorySegment}. One instance per type and
 * implementation (scalar reference or Vector API), chosen once at load time by {@link KernelRegistry}.
 * Offsets are byte offsets of a block boundary; counts are multiples of the type's block size.
 * Implementations are stateless and safe to share across threads.
 */
public interface RowKernel {

    GgmlType type();

    /** The dot product of {@code count} stored values starting at {@code byteOffset} with {@code x[xOffset..]}. */
    float dot(MemorySegment data, long byteOffset, float[] x, int xOffset, int count);

    /** Decodes {@code count} stored values starting at {@code byteOffset} into {@code out[outOffset..]}. */
    void dequantize(MemorySegment data, long byteOffset, float[] out, int outOffset, int count);

    /**
     * Generation's matrix-vector product over rows {@code [rowStart, rowEnd)}: writes
     * {@code out[outOffset + r] = row(r) . x[xOffset..]}. This default is one {@link #dot} per row; a kernel
     * overrides it to compute what depends only on {@code x} once for all the rows (Q4_K: sub-block sums of x).
     */
    default void matVecRows(MemorySegment data, int cols, int rowStart, int rowEnd,
                            float[] x, int xOffset, float[] out, int outOffset) {
        long rowBytes = type().bytesFor(cols);
        for (int r = rowStart; r < rowEnd; r++) {
            out[outOffset + r] = dot(data, r * rowBytes, x, xOffset, cols);
        }
    }

    /**
     * Batched dot products for prompt processing. {@code data} holds a row-major matrix of rows {@code cols}
     * values long; for each row {@code r} in {@code [rowStart, rowEnd)} and each of {@code batch} vectors
     * stored back to back in {@code xs} ({@code cols} each), writes
     * {@code out[b * outStride + r] = row(r) . xs[b * cols ..]}.
     * <p>
     * This default is one {@link #dot} per (row, vector). Vector kernels override it to decode each row once
     * for the whole batch and reuse every loaded weight for several vectors.
     */
    default void dotRows(MemorySegment data, int cols, int rowStart, int rowEnd,
                         float[] xs, int batch, float[] out, int outStride) {
        long rowBytes = type().bytesFor(cols);
        for (int r = rowStart; r < rowEnd; r++) {
            for (int b = 0; b < batch; b++) {
                out[b * outStride + r] = dot(data, r * rowBytes, xs, b * cols, cols);
            }
        }
    }
}
