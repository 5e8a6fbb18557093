package dev.llmlab.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * The threads that matrix work is spread over. One per model session owner (or shared); the calling thread
 * takes part in the work. Small jobs run inline: forking costs more than a few thousand multiply-adds.
 */
public final class ComputePool implements AutoCloseable {
    /** Below this many row-elements a job runs on the calling thread alone. */
    private static final long INLINE_WORK = 32_768;

    private final int threads;
    private final ForkJoinPool pool;

    private ComputePool(int threads) {
        this.threads = threads;
        this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
    }

    public static ComputePool ofThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        return new ComputePool(threads);
    }

    /** One thread per available processor. */
    public static ComputePool ofAvailableProcessors() {
        return ofThreads(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /** Work over rows {@code [start, end)} of one chunk. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into contiguous chunks, one per thread.
     *
     * @param workPerItem rough cost of one item (e.g. the row length), to decide whether to fork at all
     */
    public void parallelFor(int n, long workPerItem, RangeBody body) {
        if (pool == null || n < 2 || (long) n * workPerItem < INLINE_WORK) {
            body.run(0, n);
            return;
        }
        int chunks = Math.min(threads, n);
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int start = (int) ((long) n * c / chunks);
            int end = (int) ((long) n * (c + 1) / chunks);
            tasks[c - 1] = pool.submit(new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(start, end);
                }
            });
        }
        body.run(0, (int) ((long) n / chunks));
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
