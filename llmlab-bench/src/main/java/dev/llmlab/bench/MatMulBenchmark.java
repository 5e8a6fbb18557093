package dev.llmlab.bench;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.kernels.KernelRegistry;
import dev.llmlab.tensor.ComputePool;
import dev.llmlab.tensor.Matrix;
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
import java.util.concurrent.TimeUnit;

/**
 * Prompt processing: one weight matrix times a batch of token vectors (TinyLlama-1.1B shapes, 128-token
 * prompt). {@link BenchTables} converts the time to GFLOP/s (2 * rows * cols * batch per op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatMulBenchmark {
    @Param({"Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    public String type;

    @Param({"2048x2048", "5632x2048", "2048x5632"})
    public String shape;

    @Param({"128"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private ComputePool pool;
    private Matrix matrix;
    private float[] xs;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        String[] rc = shape.split("x");
        int rows = Integer.parseInt(rc[0]);
        int cols = Integer.parseInt(rc[1]);
        arena = Arena.ofShared();
        pool = ComputePool.ofThreads(threads);
        matrix = SyntheticWeights.matrix(GgmlType.valueOf(type), rows, cols, KernelRegistry.best(), arena, 42);
        xs = SyntheticWeights.activations(batch * cols, 7);
        out = new float[batch * rows];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public float[] matMul() {
        matrix.matMul(xs, batch, out, pool);
        return out;
    }
}
