package dev.llmlab.tensor;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads that matrix work is spread over; the calling thread takes part in the work.
 * <p>
 * Decoding calls {@link #parallelFor} about ten times per layer per token (10^4 times a second), so a call
 * must cost a few microseconds at most: the workers are persistent daemon threads that spin for a short
 * while after each job (catching the next matrix of the same token without a wake-up) and then park.
 * Chunks are claimed dynamically, so a thread the OS delays does not hold up the others.
 * Small jobs run inline: handing out work costs more than a few thousand multiply-adds.
 * <p>
 * Calls from several threads are serialized; a call from inside a running body runs inline.
 */
public final class ComputePool implements AutoCloseable {
    /** Below this many row-elements a job runs on the calling thread alone. */
    private static final long INLINE_WORK = 32_768;
    /** Chunks per thread: enough to rebalance when a thread is delayed, few enough to keep claims cheap. */
    private static final int CHUNKS_PER_THREAD = 4;
    /** How long an idle worker (or a waiting caller) spins before parking: covers the gaps within a token. */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    /** The job in place when none runs, so finished bodies are not kept reachable. */
    private static final Job IDLE = new Job((start, end) -> { }, 0, 0);

    private final int threads;
    private final Worker[] workers;
    private final ReentrantLock submitLock = new ReentrantLock();
    private volatile Job current = IDLE;
    private volatile boolean closed;

    private ComputePool(int threads) {
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker("llmlab-compute-" + (i + 1));
        }
        for (Worker w : workers) {
            w.thread.start();
        }
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

    /** Work over items {@code [start, end)} of one chunk. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into contiguous, disjoint chunks that the threads claim
     * until none is left; returns when all are done. An exception thrown by the body (on any thread) is
     * rethrown here after every chunk has finished.
     *
     * @param workPerItem rough cost of one item (e.g. the row length), to decide whether to share it at all
     */
    public void parallelFor(int n, long workPerItem, RangeBody body) {
        if (closed) {
            throw new IllegalStateException("compute pool is closed; create a new one for more work");
        }
        if (workers.length == 0 || n < 2 || (long) n * workPerItem < INLINE_WORK || isNestedCall()) {
            body.run(0, n);
            return;
        }
        submitLock.lock();
        try {
            Job job = new Job(body, n, Math.min(n, threads * CHUNKS_PER_THREAD));
            current = job;
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w.thread);
                }
            }
            job.runChunks();
            job.awaitDone();
            current = IDLE;
            job.rethrowFailure();
        } finally {
            submitLock.unlock();
        }
    }

    private boolean isNestedCall() {
        if (submitLock.isHeldByCurrentThread()) {
            return true;
        }
        Thread me = Thread.currentThread();
        for (Worker w : workers) {
            if (w.thread == me) {
                return true;
            }
        }
        return false;
    }

    /** Stops the worker threads; later calls fail. */
    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
        if (!isNestedCall()) {
            for (Worker w : workers) {
                try {
                    w.thread.join(TimeUnit.SECONDS.toMillis(1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One parallelFor call: its chunks, the claim counter and the completion count. */
    private static final class Job {
        private final RangeBody body;
        private final int n;
        private final int chunks;
        private final AtomicInteger nextChunk = new AtomicInteger();
        private final AtomicInteger remaining;
        private volatile Thread waiter;
        private volatile Throwable failure;

        Job(RangeBody body, int n, int chunks) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.remaining = new AtomicInteger(chunks);
        }

        void runChunks() {
            int c;
            while ((c = nextChunk.getAndIncrement()) < chunks) {
                try {
                    body.run(start(c), start(c + 1));
                } catch (Throwable t) {
                    recordFailure(t);
                } finally {
                    if (remaining.decrementAndGet() == 0) {
                        Thread w = waiter;
                        if (w != null) {
                            LockSupport.unpark(w);
                        }
                    }
                }
            }
        }

        private int start(int chunk) {
            return (int) ((long) n * chunk / chunks);
        }

        private synchronized void recordFailure(Throwable t) {
            if (failure == null) {
                failure = t;
            } else if (failure != t) {
                failure.addSuppressed(t);
            }
        }

        /** Spins briefly (the other chunks are usually microseconds from done), then parks. */
        void awaitDone() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (remaining.get() != 0) {
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    waiter = Thread.currentThread();
                    if (remaining.get() != 0) {
                        LockSupport.park(this);
                    }
                }
            }
        }

        void rethrowFailure() {
            Throwable t = failure;
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException("parallel work failed", t);
            }
        }
    }

    private final class Worker implements Runnable {
        private final Thread thread;
        private volatile boolean parked;

        Worker(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            Job seen = IDLE;
            while (!closed) {
                Job job = current;
                if (job != seen) {
                    seen = job;
                    job.runChunks();
                } else {
                    idle(seen);
                }
            }
        }

        /** Waits for a job other than {@code seen}: spin, then park until {@link #parallelFor} unparks us. */
        private void idle(Job seen) {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (current == seen && !closed) {
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    if (current == seen && !closed) {
                        LockSupport.park(this);
                    }
                    parked = false;
                }
            }
        }
    }
}
