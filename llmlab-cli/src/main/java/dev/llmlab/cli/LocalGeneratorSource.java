package dev.llmlab.cli;

import dev.llmlab.experiment.GeneratorSource;
import dev.llmlab.experiment.ModelSource;
import dev.llmlab.generate.Generator;
import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.model.LocalModel;

/** Loads the first selected model on first use, and closes what it opened. */
final class LocalGeneratorSource implements GeneratorSource, AutoCloseable {
    private final ModelSource models;
    private LocalModel model;
    private LocalGenerator generator;

    LocalGeneratorSource(ModelSource models) {
        this.models = models;
    }

    @Override
    public Generator generator() {
        if (generator == null) {
            model = models.loadFirst();
            generator = new LocalGenerator(model);
        }
        return generator;
    }

    @Override
    public void close() {
        if (generator != null) {
            generator.close();
        }
        if (model != null) {
            model.close();
        }
    }
}
