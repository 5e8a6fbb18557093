package dev.llmlab.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.List;

/**
 * A benchmark's outcome: what was measured on which model, how it was loaded, and the rates.
 *
 * @param model           model name
 * @param architecture    e.g. {@code llama}
 * @param file            the model file
 * @param fileSizeBytes   size of the model file
 * @param parameterCount  parameters of the model
 * @param tensorTypes     summary of the weight types, e.g. {@code Q8_0 (155), F32 (45)}
 * @param loadMode        {@code MMAP} or {@code READ}
 * @param threads         threads used for matrix work
 * @param kernels         the kernel set computed with
 * @param contextLength   positions of the session's KV cache
 * @param repetitions     measured runs per test
 * @param warmupRuns      unmeasured runs per test
 * @param tests           one entry per test, prompt processing first
 */
public record BenchResult(String model, String architecture, String file, long fileSizeBytes, long parameterCount,
                          String tensorTypes, String loadMode, int threads, String kernels, int contextLength,
                          int repetitions, int warmupRuns, List<BenchTest> tests) {

    public BenchResult {
        tests = List.copyOf(tests);
    }

    /** One JSON object with snake_case fields ({@code mean_tokens_per_second}, ...). */
    public String toJson() {
        ObjectMapper mapper = new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        try {
            return mapper.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a bench result: " + e.getMessage(), e);
        }
    }
}
