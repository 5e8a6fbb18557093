package dev.llmlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static dev.llmlab.kernels.VectorKernels.F;
import static dev.llmlab.kernels.VectorKernels.L;

/**
 * The batched product behind every vector kernel's {@link RowKernel#dotRows}: a tile of weight rows is
 * decoded to floats once (sized to stay in the L2 cache), then multiplied with the batch four vectors at a
 * time by a 4 rows x 4 vectors register-tiled kernel: per step 8 vector loads feed 16 FMAs, so the loop is
 * bound by FMA throughput rather than by loads. Decoding cost is amortized over the batch, so the same code
 * serves every format.
 */
final class BatchedRowProduct {
    /** Decoded tile size: half of a typical 1-2 MiB L2, leaving room for four input vectors. */
    private static final int TILE_FLOATS = 64 * 1024;
    private static final int ROWS = 4;
    private static final int VECTORS = 4;
    /**
     * Each thread's tile, reused across calls: a fresh 256 KB tile per chunk made prompt processing allocate
     * hundreds of MB per batch, which grew the JVM heap (and the process's resident memory) far beyond the
     * engine's live data. The compute pool's threads are long-lived, so each keeps one tile.
     */
    private static final ThreadLocal<float[]> TILES = ThreadLocal.withInitial(() -> new float[0]);

    private BatchedRowProduct() {
    }

    static void compute(RowKernel decoder, MemorySegment data, int cols, int rowStart, int rowEnd,
                        float[] xs, int batch, float[] out, int outStride) {
        long rowBytes = decoder.type().bytesFor(cols);
        int tileRows = Math.min(roundUp(rowEnd - rowStart, ROWS), Math.max(ROWS, TILE_FLOATS / cols / ROWS * ROWS));
        float[] tile = tile(tileRows * cols);
        for (int r0 = rowStart; r0 < rowEnd; r0 += tileRows) {
            int rows = Math.min(tileRows, rowEnd - r0);
            for (int i = 0; i < rows; i++) {
                decoder.dequantize(data, (r0 + i) * rowBytes, tile, i * cols, cols);
            }
            int paddedRows = roundUp(rows, ROWS);
            Arrays.fill(tile, rows * cols, paddedRows * cols, 0f); // rows past the end contribute nothing
            int b = 0;
            for (; b + VECTORS <= batch; b += VECTORS) {
                for (int i = 0; i < paddedRows; i += ROWS) {
                    fourByFour(tile, i * cols, cols, xs, b * cols, out, b * outStride + r0 + i, outStride,
                            Math.min(ROWS, rows - i));
                }
            }
            for (; b < batch; b++) {
                for (int i = 0; i < paddedRows; i += ROWS) {
                    fourByOne(tile, i * cols, cols, xs, b * cols, out, b * outStride + r0 + i,
                            Math.min(ROWS, rows - i));
                }
            }
        }
    }

    private static float[] tile(int floats) {
        float[] tile = TILES.get();
        if (tile.length < floats) {
            tile = new float[floats];
            TILES.set(tile);
        }
        return tile;
    }

    /** Rows {@code w[wi..]} (4 rows, {@code cols} apart) times vectors {@code x[xi..]} (4 vectors). */
    private static void fourByFour(float[] w, int wi, int cols, float[] x, int xi, float[] out, int oi,
                                   int outStride, int validRows) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int w1 = wi + cols, w2 = w1 + cols, w3 = w2 + cols;
        int x1 = xi + cols, x2 = x1 + cols, x3 = x2 + cols;
        int k = 0;
        for (; k + L <= cols; k += L) {
            FloatVector v0 = FloatVector.fromArray(F, x, xi + k);
            FloatVector v1 = FloatVector.fromArray(F, x, x1 + k);
            FloatVector v2 = FloatVector.fromArray(F, x, x2 + k);
            FloatVector v3 = FloatVector.fromArray(F, x, x3 + k);
            FloatVector r = FloatVector.fromArray(F, w, wi + k);
            c00 = r.fma(v0, c00);
            c01 = r.fma(v1, c01);
            c02 = r.fma(v2, c02);
            c03 = r.fma(v3, c03);
            r = FloatVector.fromArray(F, w, w1 + k);
            c10 = r.fma(v0, c10);
            c11 = r.fma(v1, c11);
            c12 = r.fma(v2, c12);
            c13 = r.fma(v3, c13);
            r = FloatVector.fromArray(F, w, w2 + k);
            c20 = r.fma(v0, c20);
            c21 = r.fma(v1, c21);
            c22 = r.fma(v2, c22);
            c23 = r.fma(v3, c23);
            r = FloatVector.fromArray(F, w, w3 + k);
            c30 = r.fma(v0, c30);
            c31 = r.fma(v1, c31);
            c32 = r.fma(v2, c32);
            c33 = r.fma(v3, c33);
        }
        float[] sums = {
                sum(c00), sum(c01), sum(c02), sum(c03),
                sum(c10), sum(c11), sum(c12), sum(c13),
                sum(c20), sum(c21), sum(c22), sum(c23),
                sum(c30), sum(c31), sum(c32), sum(c33)};
        for (; k < cols; k++) { // tail shorter than a vector (F32/F16/BF16 rows of any length)
            for (int r = 0; r < ROWS; r++) {
                for (int v = 0; v < VECTORS; v++) {
                    sums[r * VECTORS + v] += w[wi + r * cols + k] * x[xi + v * cols + k];
                }
            }
        }
        for (int r = 0; r < validRows; r++) {
            for (int v = 0; v < VECTORS; v++) {
                out[oi + v * outStride + r] = sums[r * VECTORS + v];
            }
        }
    }

    /** Rows {@code w[wi..]} (4 rows, {@code cols} apart) times one vector {@code x[xi..]}. */
    private static void fourByOne(float[] w, int wi, int cols, float[] x, int xi, float[] out, int oi,
                                  int validRows) {
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
        int w1 = wi + cols, w2 = w1 + cols, w3 = w2 + cols;
        int k = 0;
        for (; k + L <= cols; k += L) {
            FloatVector v = FloatVector.fromArray(F, x, xi + k);
            c0 = FloatVector.fromArray(F, w, wi + k).fma(v, c0);
            c1 = FloatVector.fromArray(F, w, w1 + k).fma(v, c1);
            c2 = FloatVector.fromArray(F, w, w2 + k).fma(v, c2);
            c3 = FloatVector.fromArray(F, w, w3 + k).fma(v, c3);
        }
        float[] sums = {sum(c0), sum(c1), sum(c2), sum(c3)};
        for (; k < cols; k++) {
            for (int r = 0; r < ROWS; r++) {
                sums[r] += w[wi + r * cols + k] * x[xi + k];
            }
        }
        for (int r = 0; r < validRows; r++) {
            out[oi + r] = sums[r];
        }
    }

    private static float sum(FloatVector v) {
        return v.reduceLanes(VectorOperators.ADD);
    }

    private static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }
}
