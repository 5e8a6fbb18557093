package dev.llmlab.system;

import java.util.List;

/**
 * Everything {@code llmlab system} reports about this machine.
 *
 * @param cpu    the processor
 * @param memory physical memory and any container limit
 * @param gpus   GPUs found by {@code nvidia-smi}; empty when none (or no driver)
 * @param jvm    the JVM and the operating system
 * @param engine how the engine will run here
 */
public record SystemInfo(CpuInfo cpu, MemoryInfo memory, List<GpuInfo> gpus, JvmFacts jvm, EnginePlan engine) {
    public SystemInfo {
        gpus = List.copyOf(gpus);
    }

    /**
     * Memory the engine may put outside the JVM heap (weights read into memory, or mapped pages): the JVM puts
     * no limit on it (an Arena is not bounded by {@code -XX:MaxDirectMemorySize}), so what is usable on the
     * machine beyond the heap, which may grow to its maximum.
     */
    public long offHeapBytes() {
        return Math.max(0, memory.usableBytes() - jvm.maxHeapBytes());
    }
}
