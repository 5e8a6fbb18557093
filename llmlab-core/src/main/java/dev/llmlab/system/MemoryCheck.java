package dev.llmlab.system;

import dev.llmlab.error.InsufficientMemoryException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.model.ArchitectureRegistry;
import dev.llmlab.model.LoadOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The pre-flight check before a model is loaded: estimate from the header, and refuse a model that does not fit
 * this machine, with the estimate in the message, before any weight is read.
 */
public final class MemoryCheck {
    private final SystemSource source;
    private final ArchitectureRegistry architectures;

    public MemoryCheck(SystemSource source, ArchitectureRegistry architectures) {
        this.source = source;
        this.architectures = architectures;
    }

    /**
     * The estimate for loading {@code model} (a GGUF file or a Hugging Face directory) with {@code options};
     * empty when it cannot be made here (no /proc to measure the JVM with).
     *
     * @throws InsufficientMemoryException when the verdict is "does not fit"
     */
    public Optional<InferenceEstimate> requireFits(Path model, LoadOptions options) {
        Optional<RuntimeProfile> runtime = RuntimeProfile.measure(source);
        if (runtime.isEmpty() || !Files.exists(model)) {
            return Optional.empty(); // no /proc to measure the JVM with; a missing file is the loader's to report
        }
        ModelHeader header = ModelHeaders.of(model, architectures, false);
        GgmlType convertTo = options.dtype().plan(header.parameterCount(), header.quantizeWhenLarge(), "")
                .matrixType();
        InferenceEstimate estimate = new MemoryEstimator(runtime.get()).inference(header, options.contextLength(),
                options.loadMode(), options.threads(), convertTo);
        Verdict verdict = Verdict.judge(estimate.totalBytes(), estimate.heapBytes(),
                new SystemDetector(source).memory(), source.jvm().maxHeapBytes());
        if (verdict.level() == Verdict.Level.DOES_NOT_FIT) {
            throw new InsufficientMemoryException(String.format(Locale.ROOT,
                    "%s does not fit this machine at context %d: it needs about %.2f GB (weights %.2f GB, "
                            + "heap %.2f GB): %s; see `llmlab fit %s` for the breakdown and what would fit "
                            + "(another quantization, a shorter --context)",
                    header.name(), estimate.contextLength(), estimate.totalBytes() / 1e9,
                    estimate.bytesIn(MemoryTerm.Place.OFF_HEAP) / 1e9, estimate.heapBytes() / 1e9, verdict.reason(),
                    model));
        }
        return Optional.of(estimate);
    }
}
