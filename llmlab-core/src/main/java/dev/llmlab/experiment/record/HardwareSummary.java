package dev.llmlab.experiment.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a run ran on, so records from different machines are not compared as equals.
 *
 * @param cpu          the CPU model ({@code /proc/cpuinfo}), or the architecture when unknown
 * @param cores        processors available to the JVM
 * @param os           operating system name and version
 * @param arch         CPU architecture
 * @param java         the Java runtime version
 * @param maxHeapBytes the JVM's heap limit
 */
public record HardwareSummary(String cpu, int cores, String os, String arch, String java, long maxHeapBytes) {

    public static HardwareSummary detect() {
        return new HardwareSummary(cpuModel(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("os.arch"),
                Runtime.version().toString(), Runtime.getRuntime().maxMemory());
    }

    /** e.g. {@code AMD EPYC 7763, 2 cores, Linux 6.1}. */
    public String oneLine() {
        return cpu + ", " + cores + " cores, " + os;
    }

    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try {
            if (Files.isReadable(cpuinfo)) {
                List<String> lines = Files.readAllLines(cpuinfo);
                for (String line : lines) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).strip();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unusual /proc: the architecture says enough
        }
        return System.getProperty("os.arch");
    }
}
