package dev.llmlab.tensor;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComputePoolTest {
    private static final long BIG = 1 << 20; // work per item large enough that the pool shares the work

    @Test
    void everyItemRunsExactlyOnce() {
        for (int threads = 1; threads <= 4; threads++) {
            try (ComputePool pool = ComputePool.ofThreads(threads)) {
                for (int n : new int[]{0, 1, 2, 3, 7, 8, 9, 31, 1000, 2049}) {
                    for (int repeat = 0; repeat < 50; repeat++) {
                        AtomicIntegerArray counts = new AtomicIntegerArray(n);
                        pool.parallelFor(n, BIG, (start, end) -> {
                            for (int i = start; i < end; i++) {
                                counts.incrementAndGet(i);
                            }
                        });
                        for (int i = 0; i < n; i++) {
                            assertThat(counts.get(i)).as("item %d of %d, %d threads", i, n, threads).isEqualTo(1);
                        }
                    }
                }
            }
        }
    }

    @Test
    void workIsSharedWithTheWorkers() {
        try (ComputePool pool = ComputePool.ofThreads(2)) {
            var names = java.util.concurrent.ConcurrentHashMap.<String>newKeySet();
            for (int repeat = 0; repeat < 200 && names.size() < 2; repeat++) {
                pool.parallelFor(64, BIG, (start, end) -> {
                    names.add(Thread.currentThread().getName());
                    long deadline = System.nanoTime() + 100_000;
                    while (System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                });
            }
            assertThat(names).hasSize(2).anyMatch(n -> n.startsWith("llmlab-compute-"));
        }
    }

    @Test
    void aFailureInAnyChunkIsRethrownAndThePoolStaysUsable() {
        try (ComputePool pool = ComputePool.ofThreads(2)) {
            for (int repeat = 0; repeat < 20; repeat++) {
                assertThatThrownBy(() -> pool.parallelFor(100, BIG, (start, end) -> {
                    if (start <= 77 && 77 < end) {
                        throw new IllegalArgumentException("bad item 77");
                    }
                })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad item 77");
            }
            AtomicIntegerArray counts = new AtomicIntegerArray(100);
            pool.parallelFor(100, BIG, (start, end) -> {
                for (int i = start; i < end; i++) {
                    counts.incrementAndGet(i);
                }
            });
            for (int i = 0; i < 100; i++) {
                assertThat(counts.get(i)).isEqualTo(1);
            }
        }
    }

    @Test
    void aNestedCallRunsInlineInsteadOfDeadlocking() {
        try (ComputePool pool = ComputePool.ofThreads(2)) {
            AtomicIntegerArray counts = new AtomicIntegerArray(16 * 16);
            pool.parallelFor(16, BIG, (start, end) -> {
                for (int i = start; i < end; i++) {
                    int outer = i;
                    pool.parallelFor(16, BIG, (s, e) -> {
                        for (int j = s; j < e; j++) {
                            counts.incrementAndGet(outer * 16 + j);
                        }
                    });
                }
            });
            for (int i = 0; i < 256; i++) {
                assertThat(counts.get(i)).isEqualTo(1);
            }
        }
    }

    @Test
    void callsFromSeveralThreadsAreAllCompleted() throws Exception {
        try (ComputePool pool = ComputePool.ofThreads(2);
             ExecutorService callers = Executors.newFixedThreadPool(4)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                results.add(callers.submit(() -> {
                    for (int repeat = 0; repeat < 200; repeat++) {
                        AtomicIntegerArray counts = new AtomicIntegerArray(300);
                        pool.parallelFor(300, BIG, (start, end) -> {
                            for (int i = start; i < end; i++) {
                                counts.incrementAndGet(i);
                            }
                        });
                        for (int i = 0; i < 300; i++) {
                            if (counts.get(i) != 1) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        }
    }

    @Test
    void closeStopsTheWorkerThreadsAndRefusesMoreWork() {
        long before = liveComputeThreads();
        ComputePool pool = ComputePool.ofThreads(3);
        assertThat(liveComputeThreads()).isEqualTo(before + 2);
        pool.parallelFor(100, BIG, (start, end) -> { });

        pool.close();

        assertThat(liveComputeThreads()).isEqualTo(before);
        assertThatThrownBy(() -> pool.parallelFor(100, BIG, (start, end) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void refusesZeroThreads() {
        assertThatThrownBy(() -> ComputePool.ofThreads(0)).hasMessageContaining("got 0");
    }

    private static long liveComputeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("llmlab-compute-"))
                .count();
    }
}
