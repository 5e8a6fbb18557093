package dev.llmlab.system;

/**
 * Something to run instead, with its estimate on this machine.
 *
 * @param change   what differs, e.g. {@code Q4_0 weights} or {@code --context 1024}
 * @param estimate its inference estimate
 * @param verdict  how it fits
 */
public record Alternative(String change, InferenceEstimate estimate, Verdict verdict) {
}
