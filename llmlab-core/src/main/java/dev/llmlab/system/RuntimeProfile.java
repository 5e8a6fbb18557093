package dev.llmlab.system;

import java.util.Optional;

/**
 * The JVM's own share of a run's resident memory, measured in this JVM (which the launcher starts with the same
 * options as a {@code generate} run), never assumed.
 *
 * @param nativeBytes          resident memory that is not Java heap: the JVM's code and data, class metadata,
 *                             code cache, thread stacks, GC structures (this process's VmRSS minus the heap
 *                             pages it touched)
 * @param youngGenerationBytes eden plus both survivor spaces, all touched during a run (see
 *                             {@link HeapProbe#youngGenerationBytes()})
 * @param collector            the garbage collector's name, which the young generation's size depends on
 */
public record RuntimeProfile(long nativeBytes, long youngGenerationBytes, String collector) {

    /** Measures this JVM; VmRSS comes from {@code /proc/self/status} (empty on systems without it). */
    public static Optional<RuntimeProfile> measure(SystemSource source) {
        return source.readFile("/proc/self/status").flatMap(RuntimeProfile::residentBytes).map(rss -> {
            long nativeBytes = Math.max(0, rss - HeapProbe.peakTouchedBytes());
            return new RuntimeProfile(nativeBytes, HeapProbe.youngGenerationBytes(),
                    String.join(" + ", source.jvm().garbageCollectors()));
        });
    }

    /** {@code VmRSS} of a {@code /proc/PID/status} text, in bytes. */
    static Optional<Long> residentBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                return Optional.of(Long.parseLong(parts[0]) * 1024);
            }
        }
        return Optional.empty();
    }
}
