package dev.llmlab.system;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Canned files and command outputs, as a test machine. */
final class FakeSystemSource implements SystemSource {
    final Map<String, String> files = new HashMap<>();
    final Map<List<String>, String> commands = new HashMap<>();
    JvmFacts jvm = new JvmFacts("25", "Test VM", "Linux", "6.1", "amd64", 4, 4L << 30, List.of("Copy"));

    FakeSystemSource file(String path, String text) {
        files.put(path, text);
        return this;
    }

    @Override
    public Optional<String> readFile(String path) {
        return Optional.ofNullable(files.get(path));
    }

    @Override
    public Optional<String> runCommand(List<String> command) {
        return commands.entrySet().stream().filter(e -> e.getKey().equals(command.subList(0, 1)))
                .map(Map.Entry::getValue).findFirst();
    }

    @Override
    public JvmFacts jvm() {
        return jvm;
    }
}
