package dev.llmlab.system;

import java.util.List;
import java.util.Optional;

/**
 * Where system facts come from: files such as {@code /proc/cpuinfo}, commands such as {@code nvidia-smi}, and
 * the running JVM. {@link LocalSystemSource} reads the real machine; tests pass canned files.
 */
public interface SystemSource {
    /** The text of a file, empty when it does not exist or cannot be read. */
    Optional<String> readFile(String path);

    /** The standard output of a command that exited with 0, empty when it is absent, failed or timed out. */
    Optional<String> runCommand(List<String> command);

    /** Facts about the JVM doing the detection. */
    JvmFacts jvm();
}
