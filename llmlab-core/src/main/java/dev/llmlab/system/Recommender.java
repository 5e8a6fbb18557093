package dev.llmlab.system;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.io.LoadMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What would fit instead of a model that does not: the same model in another quantization (the weight term
 * recomputed per tensor type, as a file of that type would hold them), or a shorter context.
 */
public final class Recommender {
    /** Types the engine runs, smallest last; alternatives are offered in this order. */
    static final List<GgmlType> QUANTIZATIONS = List.of(GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0);
    /** Contexts are suggested in steps of this many tokens. */
    static final int CONTEXT_STEP = 256;

    private final MemoryEstimator estimator;
    private final MemoryInfo memory;
    private final long maxHeapBytes;

    public Recommender(MemoryEstimator estimator, MemoryInfo memory, long maxHeapBytes) {
        this.estimator = estimator;
        this.memory = memory;
        this.maxHeapBytes = maxHeapBytes;
    }

    public Verdict judge(InferenceEstimate estimate) {
        return Verdict.judge(estimate.totalBytes(), estimate.heapBytes(), memory, maxHeapBytes);
    }

    /** A total of which {@code heapBytes} live on the Java heap (an estimate built without a header). */
    public Verdict judge(long totalBytes, long heapBytes) {
        return Verdict.judge(totalBytes, heapBytes, memory, maxHeapBytes);
    }

    /** A total that lives off-heap (training frameworks are not bound by this JVM's heap). */
    public Verdict judge(long totalBytes) {
        return Verdict.judge(totalBytes, 0, memory, maxHeapBytes);
    }

    /** The model's weight matrices in each type the engine runs, other than the one they mostly have now. */
    public List<Alternative> quantizations(ModelHeader model, int context, LoadMode mode, int threads) {
        GgmlType current = dominantType(model);
        List<Alternative> alternatives = new ArrayList<>();
        for (GgmlType type : QUANTIZATIONS) {
            if (type != current) {
                InferenceEstimate e = estimator.inference(model.retyped(type), context, mode, threads);
                alternatives.add(new Alternative(type + " weights", e, judge(e)));
            }
        }
        return alternatives;
    }

    /** The longest context (a multiple of 256 tokens, at least 256) at which the model fits, if any. */
    public Optional<Alternative> shorterContext(ModelHeader model, int context, LoadMode mode, int threads) {
        int effective = MemoryEstimator.effectiveContext(model.config(), context);
        for (int c = (effective - 1) / CONTEXT_STEP * CONTEXT_STEP; c >= CONTEXT_STEP; c -= CONTEXT_STEP) {
            InferenceEstimate e = estimator.inference(model, c, mode, threads);
            Verdict v = judge(e);
            if (v.level() == Verdict.Level.FITS) {
                return Optional.of(new Alternative("--context " + c, e, v));
            }
        }
        return Optional.empty();
    }

    /** The type holding most of the weight bytes. */
    static GgmlType dominantType(ModelHeader model) {
        return model.bytesByType().entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(GgmlType.F32);
    }
}
