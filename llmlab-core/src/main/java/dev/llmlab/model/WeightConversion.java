package dev.llmlab.model;

import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.kernels.ScalarKernels;
import dev.llmlab.synth.WeightEncoder;
import dev.llmlab.tensor.ComputePool;

import java.lang.foreign.MemorySegment;
import java.util.function.IntUnaryOperator;

/**
 * Rewrites a stored weight matrix as {@code rows x cols} of another type: transposing [in, out] storage (GPT-2
 * Conv1D), reordering rows (RoPE pair layout, {@link #interleavedFromRotateHalf}) and/or re-encoding (F16 to Q8_0,
 * ...). Used at load ({@code --dtype}) and by the GGUF converter. Rows are converted in parallel; norms and biases
 * never come here (they stay F32).
 */
public final class WeightConversion {
    private WeightConversion() {
    }

    static void convert(StoredTensor source, boolean transposed, int rows, int cols, GgmlType target,
                        MemorySegment out, ComputePool pool) {
        convert(source, transposed, rows, cols, IntUnaryOperator.identity(), target, out, pool);
    }

    /**
     * @param transposed the source stores the matrix as {@code cols x rows} (its rows are our columns)
     * @param sourceRow  which source row becomes row r of the output
     * @param out        exactly {@code target.bytesFor(rows * cols)} bytes
     */
    public static void convert(StoredTensor source, boolean transposed, int rows, int cols, IntUnaryOperator sourceRow,
                               GgmlType target, MemorySegment out, ComputePool pool) {
        float[] transposedSource = transposed ? decodeAll(source) : null;
        long outRowBytes = target.bytesFor(cols);
        long inRowBytes = source.type().bytesFor(cols);
        pool.parallelFor(rows, cols, (start, end) -> {
            float[] row = new float[cols];
            byte[] encoded = new byte[(int) outRowBytes];
            for (int r = start; r < end; r++) {
                int from = sourceRow.applyAsInt(r);
                if (transposed) {
                    for (int c = 0; c < cols; c++) {
                        row[c] = transposedSource[c * rows + from];
                    }
                } else {
                    ScalarKernels.decode(source.type(), source.data(), from * inRowBytes, row, 0, cols);
                }
                WeightEncoder.encode(target, row, 0, cols, encoded, 0);
                MemorySegment.copy(MemorySegment.ofArray(encoded), 0, out, r * outRowBytes, outRowBytes);
            }
        });
    }

    /**
     * Row order that turns q/k rows stored for rotate-half RoPE (pairs i, i + d/2: Hugging Face) into rows for
     * interleaved RoPE (pairs 2i, 2i+1: GGUF llama), as llama.cpp's converter permutes them: output row
     * {@code h*d + 2j + i} is source row {@code h*d + i*d/2 + j}.
     */
    public static IntUnaryOperator interleavedFromRotateHalf(int headDim) {
        int half = headDim / 2;
        return r -> {
            int head = r / headDim;
            int within = r % headDim;
            return head * headDim + (within % 2) * half + within / 2;
        };
    }

    /** Every value of a tensor as floats. */
    public static float[] decodeAll(StoredTensor source) {
        long count = source.elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new UnsupportedModelException(source.name() + ": " + count
                    + " values are too many to transpose in memory");
        }
        float[] all = new float[(int) count];
        ScalarKernels.decode(source.type(), source.data(), 0, all, 0, all.length);
        return all;
    }
}
