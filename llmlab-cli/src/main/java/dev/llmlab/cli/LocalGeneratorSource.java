package dev.llmlab.cli;

import dev.llmlab.experiment.GeneratorSource;
import dev.llmlab.generate.Generator;
import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.model.LocalModel;
import dev.llmlab.model.ModelInfo;

import java.util.function.Consumer;
import java.util.function.Supplier;

/** Loads the selected model on first use (telling the view), and closes what it opened. */
final class LocalGeneratorSource implements GeneratorSource, AutoCloseable {
    private final Supplier<LocalModel> loader;
    private final Consumer<ModelInfo> onLoaded;
    private LocalModel model;
    private LocalGenerator generator;

    LocalGeneratorSource(Supplier<LocalModel> loader, Consumer<ModelInfo> onLoaded) {
        this.loader = loader;
        this.onLoaded = onLoaded;
    }

    @Override
    public Generator generator() {
        if (generator == null) {
            model = loader.get();
            onLoaded.accept(model.info());
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
