package dev.llmlab.system;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/** Measures this JVM's heap: what live objects use, and how much of each heap pool has been touched. */
public final class HeapProbe {
    private HeapProbe() {
    }

    /** Heap used by live objects: a full collection first, so garbage is not counted. */
    public static long usedAfterCollection() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The most each heap pool has held since the JVM started: pages of the heap this process has touched. */
    public static long peakTouchedBytes() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes;
    }

    /**
     * The young generation a run will cycle through: every allocation lands in eden and survivors alternate,
     * so during inference (the Vector API's warm-up alone allocates hundreds of MB) all of eden and both
     * survivor spaces are touched. Sizes are the pools' committed sizes in this JVM, which the launcher starts
     * with the same options as a {@code generate} run.
     */
    public static long youngGenerationBytes() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            String name = pool.getName();
            if (pool.getType() != MemoryType.HEAP) {
                continue;
            }
            if (name.contains("Eden")) {
                bytes += pool.getUsage().getCommitted();
            } else if (name.contains("Survivor")) {
                bytes += 2 * pool.getUsage().getCommitted(); // from and to spaces swap at every collection
            }
        }
        return bytes;
    }
}
