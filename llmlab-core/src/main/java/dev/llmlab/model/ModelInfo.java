package dev.llmlab.model;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.io.LoadMode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What was loaded and how, for the load line, summaries and experiment records.
 *
 * @param name                 the model's name ({@code general.name}, else the file name)
 * @param architecture         e.g. {@code llama}
 * @param file                 the model file
 * @param fileSizeBytes        size of the file
 * @param parameterCount       number of weights
 * @param tensorTypes          how many tensors of each type
 * @param contextLength        KV cache length of each session
 * @param trainedContextLength the model's trained context length
 * @param loadMode             mapped or read into memory
 * @param loadTime             time to open and prepare the model
 * @param threads              threads for matrix work
 * @param kernels              the kernel set's description
 * @param weightTypes          the weight type chosen at load and why (e.g. {@code Q8_0 (auto: ...)}), or empty
 */
public record ModelInfo(String name, String architecture, Path file, long fileSizeBytes, long parameterCount,
                        Map<GgmlType, Integer> tensorTypes, int contextLength, int trainedContextLength,
                        LoadMode loadMode, Duration loadTime, int threads, String kernels,
                        String weightTypes) {

    public ModelInfo {
        tensorTypes = Map.copyOf(tensorTypes);
    }

    public ModelInfo(String name, String architecture, Path file, long fileSizeBytes, long parameterCount,
                     Map<GgmlType, Integer> tensorTypes, int contextLength, int trainedContextLength,
                     LoadMode loadMode, Duration loadTime, int threads, String kernels) {
        this(name, architecture, file, fileSizeBytes, parameterCount, tensorTypes, contextLength,
                trainedContextLength, loadMode, loadTime, threads, kernels, "");
    }

    /** The tensor types, most frequent first, e.g. {@code Q8_0 x 154, F32 x 45}. */
    public String tensorTypeSummary() {
        return tensorTypes.entrySet().stream()
                .sorted(Map.Entry.<GgmlType, Integer>comparingByValue().reversed())
                .map(e -> e.getKey() + " x " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
