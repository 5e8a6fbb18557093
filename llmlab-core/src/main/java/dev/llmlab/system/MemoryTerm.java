package dev.llmlab.system;

/**
 * One line of a memory estimate.
 *
 * @param name  what the memory holds, e.g. {@code KV cache}
 * @param bytes how much
 * @param place where it lives: the JVM heap, off-heap (weights), or the JVM's own native memory
 * @param basis how the number was obtained, for the reader: a formula or a measurement
 */
public record MemoryTerm(String name, long bytes, Place place, String basis) {
    /** Where a term's bytes live, which decides which limit they count against. */
    public enum Place {
        /** Model weights read into (or mapped as) native memory: limited only by RAM. */
        OFF_HEAP,
        /** Java arrays and objects: limited by the JVM's maximum heap. */
        HEAP,
        /** The JVM's own memory: code, metadata, thread stacks, GC structures. */
        JVM_NATIVE
    }
}
