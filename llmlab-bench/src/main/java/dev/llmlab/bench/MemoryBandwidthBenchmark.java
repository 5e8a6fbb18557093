package dev.llmlab.bench;

import dev.llmlab.tensor.ComputePool;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The machine's memory read bandwidth, the ceiling for decode: a vectorized sum over a 1 GiB allocated
 * segment (far larger than any cache), split over the threads like a matVec.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MemoryBandwidthBenchmark {
    static final long BYTES = 1L << 30;
    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    private static final int CHUNKS = 1024;

    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private MemorySegment data;
    private ComputePool pool;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        data = randomSegment(arena, BYTES);
        pool = ComputePool.ofThreads(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public long sum() {
        return sum(data, pool);
    }

    /** A vectorized sum of every long in {@code data}, split over the pool's threads: one streaming read. */
    static long sum(MemorySegment data, ComputePool pool) {
        LongAdder total = new LongAdder();
        long chunkBytes = data.byteSize() / CHUNKS;
        pool.parallelFor(CHUNKS, chunkBytes, (start, end) -> {
            LongVector acc0 = LongVector.zero(SPECIES);
            LongVector acc1 = LongVector.zero(SPECIES);
            long step = SPECIES.vectorByteSize();
            for (long at = start * chunkBytes; at < end * chunkBytes; at += 2 * step) {
                acc0 = acc0.add(LongVector.fromMemorySegment(SPECIES, data, at, ByteOrder.LITTLE_ENDIAN));
                acc1 = acc1.add(LongVector.fromMemorySegment(SPECIES, data, at + step, ByteOrder.LITTLE_ENDIAN));
            }
            total.add(acc0.add(acc1).reduceLanes(VectorOperators.ADD));
        });
        return total.sum();
    }

    /** Fills a segment of {@code bytes} with random longs (distinct pages: nothing a VM could deduplicate). */
    static MemorySegment randomSegment(Arena arena, long bytes) {
        MemorySegment data = arena.allocate(bytes, 64);
        SplittableRandom random = new SplittableRandom(1);
        for (long i = 0; i < bytes; i += Long.BYTES) {
            data.set(ValueLayout.JAVA_LONG, i, random.nextLong());
        }
        return data;
    }
}
