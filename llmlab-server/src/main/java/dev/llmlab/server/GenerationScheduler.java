package dev.llmlab.server;

import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationStream;
import dev.llmlab.generate.Generator;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs generations on a fixed set of sessions: one platform thread per generator (so long matrix work never
 * occupies the virtual threads that serve HTTP), a bounded queue of waiting requests, and an immediate refusal
 * when that queue is full. Events travel to the HTTP thread through a per-request queue; cancelling a request
 * closes its stream at the next token.
 */
final class GenerationScheduler implements AutoCloseable {
    private final BlockingQueue<Generator> idle;
    private final List<Generator> generators;
    private final ThreadPoolExecutor executor;
    private final AtomicInteger running = new AtomicInteger();
    private final Set<Job> active = ConcurrentHashMap.newKeySet();

    GenerationScheduler(List<Generator> generators, int queueCapacity) {
        this.generators = List.copyOf(generators);
        this.idle = new LinkedBlockingQueue<>(this.generators);
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(generators.size(), generators.size(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), r -> {
                    Thread t = new Thread(r, "llmlab-session-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Requests waiting for a session. */
    int queued() {
        return executor.getQueue().size();
    }

    /** Generations running now. */
    int running() {
        return running.get();
    }

    int sessions() {
        return generators.size();
    }

    /**
     * Queues a generation; {@code start} opens the stream on the generator it is given.
     *
     * @throws ApiError 429 when the queue is full
     */
    Job submit(Function<Generator, GenerationStream> start) {
        Job job = new Job();
        try {
            executor.execute(() -> run(job, start));
        } catch (RejectedExecutionException e) {
            throw new ApiError(429, "rate_limit_exceeded", null, "queue_full", "the server is busy: "
                    + generators.size() + " generations running and " + executor.getQueue().size()
                    + " waiting, the most it queues; retry later or start the server with a larger --parallel");
        }
        return job;
    }

    private void run(Job job, Function<Generator, GenerationStream> start) {
        if (job.cancelled) {
            job.events.add(new Failure(new IllegalStateException("cancelled before it started")));
            return;
        }
        Generator generator = idle.poll();
        running.incrementAndGet();
        active.add(job);
        try (GenerationStream stream = start.apply(generator)) {
            GenerationEvent last = null;
            while (stream.hasNext() && !job.cancelled) {
                last = stream.next();
                job.events.add(last);
            }
            if (!job.cancelled && !(last instanceof GenerationEvent.Finished)) {
                job.events.add(new Failure(new IllegalStateException(generator.describe()
                        + ": the generation stream ended without a result")));
            }
        } catch (RuntimeException | Error e) {
            job.events.add(new Failure(e));
        } finally {
            active.remove(job);
            running.decrementAndGet();
            idle.add(generator);
        }
    }

    @Override
    public void close() {
        active.forEach(Job::cancel); // running generations stop at their next token
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        generators.forEach(Generator::close);
    }

    private record Failure(Throwable error) {
    }

    /** One queued or running generation, seen from the HTTP thread. */
    static final class Job {
        private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        private volatile boolean cancelled;

        /** The next event; blocks until the session produces it. Rethrows what the generation threw. */
        GenerationEvent next() throws InterruptedException {
            Object item = events.take();
            if (item instanceof Failure(Throwable error)) {
                if (error instanceof RuntimeException re) {
                    throw re;
                }
                throw (Error) error;
            }
            return (GenerationEvent) item;
        }

        /** Stops the generation at its next token (the client went away). */
        void cancel() {
            cancelled = true;
        }
    }
}
