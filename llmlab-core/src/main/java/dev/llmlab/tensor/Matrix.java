package dev.llmlab.tensor;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.kernels.RowKernel;

import java.lang.foreign.MemorySegment;

/**
 * A 2-D weight tensor of {@code rows x cols} stored row-major in its own format (a view of the file, never a
 * copy), with the kernel that computes with it. Immutable and shareable across threads.
 */
public record Matrix(String name, GgmlType type, MemorySegment data, int rows, int cols, RowKernel kernel) {

    public Matrix {
        if (kernel.type() != type) {
            throw new IllegalArgumentException("kernel for " + kernel.type() + " given for " + type + " tensor " + name);
        }
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException(name + ": row length " + cols + " is not a multiple of the "
                    + type + " block size " + type.blockSize());
        }
        long expected = type.bytesFor((long) rows * cols);
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException(name + ": " + data.byteSize() + " bytes of data for " + rows + "x"
                    + cols + " " + type + ", expected " + expected);
        }
    }

    public long rowBytes() {
        return type.bytesFor(cols);
    }

    /** {@code out[outOffset + r] = row(r) . x[xOffset..]} for every row. */
    public void matVec(float[] x, int xOffset, float[] out, int outOffset, ComputePool pool) {
        pool.parallelFor(rows, cols,
                (start, end) -> kernel.matVecRows(data, cols, start, end, x, xOffset, out, outOffset));
    }

    public void matVec(float[] x, float[] out, ComputePool pool) {
        matVec(x, 0, out, 0, pool);
    }

    /**
     * Batched product for prompt processing: for each of {@code batch} input vectors stored back to back in
     * {@code xs} (each {@code cols} long), writes {@code rows} outputs back to back in {@code out}
     * ({@code out[b * rows + r]}). The kernel reads and decodes each weight row once for the whole batch.
     */
    public void matMul(float[] xs, int batch, float[] out, ComputePool pool) {
        pool.parallelFor(rows, (long) cols * batch,
                (start, end) -> kernel.dotRows(data, cols, start, end, xs, batch, out, rows));
    }

    /** Decodes row {@code r} into {@code out[outOffset..]} (embedding lookup). */
    public void row(int r, float[] out, int outOffset) {
        kernel.dequantize(data, r * rowBytes(), out, outOffset, cols);
    }
}
