package dev.llmlab.experiment;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.synth.ModelShape;
import dev.llmlab.synth.SyntheticModel;
import dev.llmlab.testing.Fixtures;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Model sources for experiment tests: stories260K by its file name, and tiny synthetic models written on demand. */
final class TestModels {
    static final String STORIES = "stories260K.gguf";

    private TestModels() {
    }

    /** A synthetic "tiny" model of the given type, written to {@code dir}. */
    static Path synthetic(Path dir, GgmlType type) {
        Path file = dir.resolve("tiny-" + type + ".gguf");
        SyntheticModel.write(file, ModelShape.preset("tiny"), type, 5);
        return file;
    }

    /** A source over named files; records the names of the models loaded. */
    static LocalModelSource source(Map<String, Path> files, List<String> refs, List<String> loaded) {
        return new LocalModelSource(refs, ref -> {
            Path p = ref.equals(STORIES) ? Fixtures.sharedFile("models/stories260K.gguf") : files.get(ref);
            if (p == null) {
                throw new AssertionError("no test model " + ref);
            }
            return p;
        }, LoadOptions.defaults().withThreads(2).withContextLength(256), info -> loaded.add(info.name()));
    }

    static LocalModelSource stories() {
        return source(Map.of(), List.of(STORIES), new ArrayList<>());
    }
}
