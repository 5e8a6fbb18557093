package dev.llmlab.model;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.kernels.ScalarKernels;
import dev.llmlab.synth.WeightEncoder;
import dev.llmlab.tensor.ComputePool;

import java.lang.foreign.MemorySegment;

/**
 * Rewrites a stored weight matrix as {@code rows x cols} of another type at load: transposing [in, out] storage
 * (GPT-2 Conv1D) and/or re-encoding (F16 to Q8_0, ...). Rows are converted in parallel; norms and biases never
 * come here (they stay F32).
 */
final class WeightConversion {
    private WeightConversion() {
    }

    /**
     * @param transposed the source stores the matrix as {@code cols x rows} (its rows are our columns)
     * @param out        exactly {@code target.bytesFor(rows * cols)} bytes
     */
    static void convert(StoredTensor source, boolean transposed, int rows, int cols, GgmlType target,
                        MemorySegment out, ComputePool pool) {
        float[] transposedSource = transposed ? decodeAll(source) : null;
        long outRowBytes = target.bytesFor(cols);
        long inRowBytes = source.type().bytesFor(cols);
        pool.parallelFor(rows, cols, (start, end) -> {
            float[] row = new float[cols];
            byte[] encoded = new byte[(int) outRowBytes];
            for (int r = start; r < end; r++) {
                if (transposed) {
                    for (int c = 0; c < cols; c++) {
                        row[c] = transposedSource[c * rows + r];
                    }
                } else {
                    ScalarKernels.decode(source.type(), source.data(), r * inRowBytes, row, 0, cols);
                }
                WeightEncoder.encode(target, row, 0, cols, encoded, 0);
                MemorySegment.copy(MemorySegment.ofArray(encoded), 0, out, r * outRowBytes, outRowBytes);
            }
        });
    }

    private static float[] decodeAll(StoredTensor source) {
        long count = source.elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new dev.llmlab.error.UnsupportedModelException(source.name() + ": " + count
                    + " values are too many to transpose in memory");
        }
        float[] all = new float[(int) count];
        ScalarKernels.decode(source.type(), source.data(), 0, all, 0, all.length);
        return all;
    }
}
