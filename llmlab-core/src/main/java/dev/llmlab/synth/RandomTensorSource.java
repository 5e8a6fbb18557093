package dev.llmlab.synth;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.TensorSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Fills a tensor with pseudo-random weights, encoded as its type. The tensor is cut into fixed chunks of whole
 * rows, each with its own generator seeded from (seed, chunk index), and the chunks are generated in parallel: the
 * bytes depend only on the seed, never on the number of threads.
 *
 * @param type          encoding of the values
 * @param rowLength     values per row (a multiple of the type's block size)
 * @param rows          number of rows
 * @param std           standard deviation of the values; 0 for constant tensors
 * @param mean          mean of the values (1 for norm weights)
 * @param seed          seed for this tensor alone
 */
record RandomTensorSource(GgmlType type, int rowLength, long rows, float std, float mean, long seed)
        implements TensorSource {
    /** About this many values per chunk: big enough to amortize a task, small enough to balance threads. */
    private static final int CHUNK_VALUES = 1 << 16;
    /** Standard deviation of a sum of four uniform 16-bit integers: sqrt(4 * (65536^2 - 1) / 12). */
    private static final double SUM4_STD = Math.sqrt(4 * (65536.0 * 65536.0 - 1) / 12);
    private static final double SUM4_MEAN = 4 * 32767.5;

    @Override
    public void fill(MemorySegment target) {
        int rowsPerChunk = (int) Math.max(1, Math.min(rows, CHUNK_VALUES / Math.max(1, rowLength)));
        long chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
        long rowBytes = type.bytesFor(rowLength);
        if (chunks > Integer.MAX_VALUE) {
            throw new IllegalStateException("tensor too large: " + rows + " rows");
        }
        IntStream.range(0, (int) chunks).parallel().forEach(chunk -> {
            long firstRow = (long) chunk * rowsPerChunk;
            int chunkRows = (int) Math.min(rowsPerChunk, rows - firstRow);
            int count = chunkRows * rowLength;
            SplittableRandom random = new SplittableRandom(mix(seed, chunk));
            if (randomBlocks(type)) {
                RandomQuantBlocks.fill(type, target, firstRow * rowBytes, count / type.blockSize(), std, random);
                return;
            }
            float[] values = new float[count];
            generate(random, values);
            byte[] bytes = new byte[(int) type.bytesFor(count)];
            WeightEncoder.encode(type, values, 0, count, bytes, 0);
            MemorySegment.copy(bytes, 0, target, ValueLayout.JAVA_BYTE, firstRow * rowBytes, bytes.length);
        });
    }

    /**
     * K-quant and IQ4 weights are written as random valid blocks: their encoders search scales (5-30 MB/s), which
     * would take minutes for a 1B model, and random blocks read the same bytes per token, all a benchmark needs.
     */
    static boolean randomBlocks(GgmlType type) {
        return switch (type) {
            case Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL, IQ4_XS -> true;
            default -> !WeightEncoder.supports(type);
        };
    }

    private void generate(SplittableRandom random, float[] out) {
        if (std == 0f) {
            Arrays.fill(out, mean);
            return;
        }
        // Irwin-Hall: the sum of four uniform 16-bit numbers (one nextLong) is close to Gaussian, bounded at
        // +-3.5 std, and several times cheaper than nextGaussian(). Random weights need no better.
        double scale = std / SUM4_STD;
        for (int i = 0; i < out.length; i++) {
            long r = random.nextLong();
            long sum = (r & 0xFFFF) + ((r >>> 16) & 0xFFFF) + ((r >>> 32) & 0xFFFF) + (r >>> 48);
            out[i] = (float) (mean + (sum - SUM4_MEAN) * scale);
        }
    }

    /** A well-spread seed for (tensor seed, chunk); the SplitMix64 finalizer. */
    static long mix(long seed, long salt) {
        long z = seed + 0x9E37_79B9_7F4A_7C15L * (salt + 1);
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
