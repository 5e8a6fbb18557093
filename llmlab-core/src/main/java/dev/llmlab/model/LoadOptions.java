package dev.llmlab.model;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.io.LoadMode;
import dev.llmlab.kernels.KernelRegistry;

/**
 * How to load a model.
 *
 * @param loadMode      map the file or read it into memory
 * @param threads       threads for matrix work
 * @param contextLength tokens of KV cache per session; 0 = the model's trained context length
 * @param kernels       the kernels to compute with
 * @param dtype         weight type to convert matrices to at load, or AUTO
 */
public record LoadOptions(LoadMode loadMode, int threads, int contextLength, KernelRegistry kernels,
                          WeightDtype dtype) {

    public LoadOptions {
        if (threads < 1) {
            throw new InvalidRequestException("threads must be at least 1, got " + threads);
        }
        if (contextLength < 0) {
            throw new InvalidRequestException("context length must be >= 0 (0 = the model's), got " + contextLength);
        }
        java.util.Objects.requireNonNull(dtype, "dtype");
    }

    public LoadOptions(LoadMode loadMode, int threads, int contextLength, KernelRegistry kernels) {
        this(loadMode, threads, contextLength, kernels, WeightDtype.AUTO);
    }

    /** Read into memory, all processors, the model's context, the best kernels. */
    public static LoadOptions defaults() {
        return new LoadOptions(LoadMode.READ, Runtime.getRuntime().availableProcessors(), 0, KernelRegistry.best(), WeightDtype.AUTO);
    }

    public LoadOptions withLoadMode(LoadMode mode) {
        return new LoadOptions(mode, threads, contextLength, kernels, dtype);
    }

    public LoadOptions withThreads(int n) {
        return new LoadOptions(loadMode, n, contextLength, kernels, dtype);
    }

    public LoadOptions withContextLength(int n) {
        return new LoadOptions(loadMode, threads, n, kernels, dtype);
    }

    public LoadOptions withKernels(KernelRegistry k) {
        return new LoadOptions(loadMode, threads, contextLength, k, dtype);
    }

    public LoadOptions withDtype(WeightDtype d) {
        return new LoadOptions(loadMode, threads, contextLength, kernels, d);
    }
}
