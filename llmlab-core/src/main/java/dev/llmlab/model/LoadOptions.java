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
 */
public record LoadOptions(LoadMode loadMode, int threads, int contextLength, KernelRegistry kernels) {

    public LoadOptions {
        if (threads < 1) {
            throw new InvalidRequestException("threads must be at least 1, got " + threads);
        }
        if (contextLength < 0) {
            throw new InvalidRequestException("context length must be >= 0 (0 = the model's), got " + contextLength);
        }
    }

    /** Read into memory, all processors, the model's context, the best kernels. */
    public static LoadOptions defaults() {
        return new LoadOptions(LoadMode.READ, Runtime.getRuntime().availableProcessors(), 0, KernelRegistry.best());
    }

    public LoadOptions withLoadMode(LoadMode mode) {
        return new LoadOptions(mode, threads, contextLength, kernels);
    }

    public LoadOptions withThreads(int n) {
        return new LoadOptions(loadMode, n, contextLength, kernels);
    }

    public LoadOptions withContextLength(int n) {
        return new LoadOptions(loadMode, threads, n, kernels);
    }

    public LoadOptions withKernels(KernelRegistry k) {
        return new LoadOptions(loadMode, threads, contextLength, k);
    }
}
