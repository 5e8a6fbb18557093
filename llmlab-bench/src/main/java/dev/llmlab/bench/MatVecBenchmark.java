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
 * One token's matrix-vector product (decode) on TinyLlama-1.1B shapes: attention 2048x2048, FFN up/gate
 * 5632x2048, FFN down 2048x5632, output 32000x2048 (rows x cols). Weights sit in allocated memory.
 * <p>
 * In a real model each matrix is read once per token from DRAM (the model is far larger than the caches),
 * so each call takes the next of several copies whose total ({@link #workingSetMiB}) exceeds the L3
 * cache; {@code -p workingSetMiB=0} uses one copy (cache-resident when it fits: the kernel's compute speed).
 * Quantized weights are random valid blocks ({@code RandomQuantBlocks}): the kernels' speed does not depend on
 * the values.
 * {@link BenchTables} turns the time into GB/s of weights.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatVecBenchmark {
    @Param({"Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "IQ4_NL", "IQ4_XS",
            "F16", "BF16", "F32"})
    public String type;

    @Param({"2048x2048", "5632x2048", "2048x5632", "32000x2048"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    @Param({"vector"})
    public String kernels;

    /** Weights cycled through: several times a server L3 cache (32 MiB here). */
    @Param({"512"})
    public long workingSetMiB;

    private Arena arena;
    private ComputePool pool;
    private Matrix[] matrices;
    private int next;
    private float[] x;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        String[] rc = shape.split("x");
        int rows = Integer.parseInt(rc[0]);
        int cols = Integer.parseInt(rc[1]);
        arena = Arena.ofShared();
        pool = ComputePool.ofThreads(threads);
        KernelRegistry registry = kernels.equals("scalar") ? KernelRegistry.scalar() : KernelRegistry.best();
        GgmlType ggmlType = GgmlType.valueOf(type);
        long bytes = ggmlType.bytesFor((long) rows * cols);
        matrices = new Matrix[(int) Math.max(1, ((workingSetMiB << 20) + bytes - 1) / bytes)];
        for (int i = 0; i < matrices.length; i++) {
            matrices[i] = SyntheticWeights.matrix(ggmlType, rows, cols, registry, arena, 42 + i);
        }
        x = SyntheticWeights.activations(cols, 7);
        out = new float[rows];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public float[] matVec() {
        Matrix matrix = matrices[next];
        next = next + 1 == matrices.length ? 0 : next + 1;
        matrix.matVec(x, out, pool);
        return out;
    }
}
