package dev.llmlab.server;

import dev.llmlab.generate.FinishReason;
import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.GenerationResult;
import dev.llmlab.generate.GenerationStream;
import dev.llmlab.generate.Generator;
import dev.llmlab.generate.Timings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;

/**
 * A generator that emits "t0 t1 ..." one token per interval, so tests control how long a generation lasts;
 * counts streams that were closed before they finished (cancelled).
 */
final class TickingGenerator implements Generator {
    private final Duration interval;
    final CountDownLatch cancelled = new CountDownLatch(1);

    TickingGenerator(Duration interval) {
        this.interval = interval;
    }

    @Override
    public String describe() {
        return "ticking";
    }

    @Override
    public GenerationStream stream(GenerationRequest request) {
        return new GenerationStream() {
            private int next = -1;
            private boolean done;
            private final List<Integer> ids = new ArrayList<>();

            @Override
            public boolean hasNext() {
                return !done;
            }

            @Override
            public GenerationEvent next() {
                if (done) {
                    throw new NoSuchElementException();
                }
                if (next < 0) {
                    next = 0;
                    return new GenerationEvent.PromptProcessed(1, Duration.ZERO);
                }
                if (next == request.maxTokens()) {
                    done = true;
                    Timings t = new Timings(1, Duration.ZERO, next, Duration.ZERO, Duration.ZERO, Duration.ZERO);
                    return new GenerationEvent.Finished(new GenerationResult("", ids, FinishReason.MAX_TOKENS, t,
                            "ticking"), "");
                }
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                ids.add(next);
                return new GenerationEvent.Token(next, next, "t" + next++ + " ", Duration.ZERO);
            }

            @Override
            public void close() {
                if (!done) {
                    cancelled.countDown();
                }
                done = true;
            }
        };
    }

    @Override
    public void close() {
    }
}
