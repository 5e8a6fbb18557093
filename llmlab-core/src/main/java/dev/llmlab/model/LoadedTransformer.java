package dev.llmlab.model;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.tensor.ComputePool;

import java.lang.foreign.Arena;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A {@link Transformer} built from a {@link Checkpoint}, with everything it holds on to: the checkpoint's memory,
 * weights converted at load, the compute threads. No tokenizer: tests and tools that work on token ids use this
 * directly; {@link LocalModel} adds the tokenizer. Closing releases it all.
 */
public final class LoadedTransformer implements AutoCloseable {
    private final Checkpoint checkpoint;
    private final Arena converted;
    private final ComputePool pool;
    private final Transformer transformer;
    private final WeightPlan plan;
    private final long parameterCount;
    private final Map<GgmlType, Integer> tensorTypes;

    private LoadedTransformer(Checkpoint checkpoint, Arena converted, ComputePool pool, Transformer transformer,
                              WeightPlan plan, long parameterCount, Map<GgmlType, Integer> tensorTypes) {
        this.checkpoint = checkpoint;
        this.converted = converted;
        this.pool = pool;
        this.transformer = transformer;
        this.plan = plan;
        this.parameterCount = parameterCount;
        this.tensorTypes = Map.copyOf(tensorTypes);
    }

    /** Builds the transformer; takes ownership of {@code checkpoint} (closed on failure too). */
    public static LoadedTransformer load(Checkpoint checkpoint, LoadOptions options) {
        Arena arena = Arena.ofShared();
        ComputePool pool = null;
        try {
            Map<GgmlType, Integer> stored = new EnumMap<>(GgmlType.class);
            long parameters = 0;
            for (StoredTensor t : checkpoint.tensors().all()) {
                stored.merge(t.type(), 1, Integer::sum);
                parameters += t.elementCount();
            }
            WeightPlan plan = options.dtype().plan(parameters, checkpoint.quantizeWhenLarge(), summary(stored));
            pool = ComputePool.ofThreads(options.threads());
            ModelConfig config = checkpoint.config();
            TransformerWeights weights = new WeightsAssembler(checkpoint.tensors(), checkpoint.naming(),
                    checkpoint.architecture(), options.kernels(), plan, arena, pool).weights(config);
            Map<GgmlType, Integer> types = plan.matrixType() == null ? stored : typesOf(weights);
            return new LoadedTransformer(checkpoint, arena, pool,
                    new Transformer(config, weights, pool, options.kernels().ops()), plan, parameters, types);
        } catch (RuntimeException | Error e) {
            if (pool != null) {
                pool.close();
            }
            arena.close();
            checkpoint.close();
            throw e;
        }
    }

    private static Map<GgmlType, Integer> typesOf(TransformerWeights w) {
        Map<GgmlType, Integer> types = new EnumMap<>(GgmlType.class);
        types.merge(w.tokenEmbedding().type(), 1, Integer::sum);
        for (LayerWeights l : w.layers()) {
            for (var m : new dev.llmlab.tensor.Matrix[]{l.wq(), l.wk(), l.wv(), l.wo(), l.gate(), l.up(), l.down()}) {
                if (m != null) {
                    types.merge(m.type(), 1, Integer::sum);
                }
            }
        }
        if (w.output() != w.tokenEmbedding()) {
            types.merge(w.output().type(), 1, Integer::sum);
        }
        return types;
    }

    static String summary(Map<GgmlType, Integer> types) {
        return types.entrySet().stream()
                .sorted(Map.Entry.<GgmlType, Integer>comparingByValue().reversed())
                .map(Map.Entry::getKey).map(String::valueOf).collect(Collectors.joining("/"));
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    public Transformer transformer() {
        return transformer;
    }

    public ComputePool pool() {
        return pool;
    }

    /** The weight type chosen and why. */
    public WeightPlan plan() {
        return plan;
    }

    public long parameterCount() {
        return parameterCount;
    }

    /** Tensor types as computed with (after any conversion at load). */
    public Map<GgmlType, Integer> tensorTypes() {
        return tensorTypes;
    }

    @Override
    public void close() {
        pool.close();
        converted.close();
        checkpoint.close();
    }
}
