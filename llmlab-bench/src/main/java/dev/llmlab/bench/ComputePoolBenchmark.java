package dev.llmlab.bench;

import dev.llmlab.tensor.ComputePool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The fixed cost of one {@link ComputePool#parallelFor} that is shared between threads: an almost empty
 * body, either back to back or after {@code gapMicros} of single-threaded work on the caller (as between the
 * matrices of one token: norms, RoPE, attention). Decoding makes about 10^4 such calls a second.
 * {@link BenchTables} subtracts the gap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ComputePoolBenchmark {
    @Param({"1", "2"})
    public int threads;

    @Param({"0", "20"})
    public int gapMicros;

    private ComputePool pool;
    private final long[] sink = new long[64];

    @Setup(Level.Trial)
    public void setUp() {
        pool = ComputePool.ofThreads(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public long[] emptyParallelFor() {
        if (gapMicros > 0) {
            long until = System.nanoTime() + gapMicros * 1000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }
        pool.parallelFor(64, 1 << 20, (start, end) -> sink[start] += end);
        return sink;
    }
}
