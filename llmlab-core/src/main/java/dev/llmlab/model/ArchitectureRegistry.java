package dev.llmlab.model;

import dev.llmlab.error.UnsupportedModelException;

import java.util.List;
import java.util.stream.Collectors;

/** The architectures the engine runs: an explicit list, passed in, never discovered by reflection. */
public record ArchitectureRegistry(List<Architecture> architectures) {

    public ArchitectureRegistry {
        architectures = List.copyOf(architectures);
    }

    public static ArchitectureRegistry defaults() {
        return new ArchitectureRegistry(List.of(Architecture.LLAMA, Architecture.MISTRAL, Architecture.QWEN2,
                Architecture.GPT2));
    }

    public Architecture find(String name, String source) {
        return architectures.stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new UnsupportedModelException(source + ": architecture '" + name
                        + "' is not supported yet; supported: " + names()));
    }

    public String names() {
        return architectures.stream().map(Architecture::name).collect(Collectors.joining(", "));
    }
}
