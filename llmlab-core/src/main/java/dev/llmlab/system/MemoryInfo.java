package dev.llmlab.system;

/**
 * Physical memory.
 *
 * @param totalBytes       {@code MemTotal}
 * @param availableBytes   {@code MemAvailable}: what can be allocated without swapping
 * @param cgroupLimitBytes the container's memory limit, or -1 when none is set
 * @param cgroupUsedBytes  what the container uses now, or -1 when unknown
 */
public record MemoryInfo(long totalBytes, long availableBytes, long cgroupLimitBytes, long cgroupUsedBytes) {

    /** What a new process may use: the available memory, capped by what the cgroup limit leaves. */
    public long usableBytes() {
        if (cgroupLimitBytes < 0) {
            return availableBytes;
        }
        long leftInGroup = cgroupLimitBytes - Math.max(0, cgroupUsedBytes);
        return Math.max(0, Math.min(availableBytes, leftInGroup));
    }
}
