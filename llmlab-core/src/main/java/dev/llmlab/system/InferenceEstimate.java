package dev.llmlab.system;

import java.util.List;

/**
 * The memory an inference needs, term by term.
 *
 * @param model         the model's header (after any {@code --dtype} change)
 * @param contextLength tokens of KV cache the engine allocates
 * @param threads       threads for matrix work (each keeps a scratch tile)
 * @param terms         the breakdown
 */
public record InferenceEstimate(ModelHeader model, int contextLength, int threads, List<MemoryTerm> terms) {
    public InferenceEstimate {
        terms = List.copyOf(terms);
    }

    /** Peak resident memory of the process. */
    public long totalBytes() {
        return terms.stream().mapToLong(MemoryTerm::bytes).sum();
    }

    /** The part that must fit in the JVM's maximum heap. */
    public long heapBytes() {
        return bytesIn(MemoryTerm.Place.HEAP);
    }

    public long bytesIn(MemoryTerm.Place place) {
        return terms.stream().filter(t -> t.place() == place).mapToLong(MemoryTerm::bytes).sum();
    }

    public long term(String name) {
        return terms.stream().filter(t -> t.name().equals(name)).mapToLong(MemoryTerm::bytes).sum();
    }
}
