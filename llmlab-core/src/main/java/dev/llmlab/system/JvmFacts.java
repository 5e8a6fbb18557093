package dev.llmlab.system;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * What the JVM reports about itself and its platform.
 *
 * @param javaVersion         {@code java.version}, e.g. {@code 25.0.1}
 * @param vmName              e.g. {@code OpenJDK 64-Bit Server VM}
 * @param osName              {@code os.name}
 * @param osVersion           {@code os.version}
 * @param osArch              {@code os.arch}
 * @param availableProcessors what the JVM may use (cgroup CPU limits applied)
 * @param maxHeapBytes        {@code -Xmx}, or the JVM's default (a quarter of RAM)
 * @param garbageCollectors   names of the collectors, e.g. {@code [Copy, MarkSweepCompact]} for Serial
 */
public record JvmFacts(String javaVersion, String vmName, String osName, String osVersion, String osArch,
                       int availableProcessors, long maxHeapBytes, List<String> garbageCollectors) {

    public JvmFacts {
        garbageCollectors = List.copyOf(garbageCollectors);
    }

    /** This JVM. */
    public static JvmFacts current() {
        return new JvmFacts(System.getProperty("java.version", "?"), System.getProperty("java.vm.name", "?"),
                System.getProperty("os.name", "?"), System.getProperty("os.version", "?"),
                System.getProperty("os.arch", "?"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory(),
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList());
    }
}
