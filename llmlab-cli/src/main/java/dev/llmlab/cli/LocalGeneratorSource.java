package dev.llmlab.cli;

import dev.llmlab.experiment.GeneratorSource;
import dev.llmlab.generate.Generator;
import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.model.LocalModel;
import dev.llmlab.model.ModelInfo;
import dev.llmlab.remote.OpenAiEndpoint;
import dev.llmlab.remote.OpenAiRemoteGenerator;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Loads the selected model on first use (telling the view), and closes what it opened. A remote model
 * ({@code openai:URL#model}) is recognised before any hub resolution and needs no loading.
 */
final class LocalGeneratorSource implements GeneratorSource, AutoCloseable {
    private final Supplier<LocalModel> loader;
    private final Consumer<ModelInfo> onLoaded;
    private final OpenAiEndpoint remote;
    private LocalModel model;
    private Generator generator;

    LocalGeneratorSource(Supplier<LocalModel> loader, Consumer<ModelInfo> onLoaded) {
        this(loader, onLoaded, null);
    }

    private LocalGeneratorSource(Supplier<LocalModel> loader, Consumer<ModelInfo> onLoaded, OpenAiEndpoint remote) {
        this.loader = loader;
        this.onLoaded = onLoaded;
        this.remote = remote;
    }

    /**
     * The generator for {@code --model}: an OpenAI-compatible server for {@code openai:URL#model} (key from
     * {@code --api-key}, else {@code OPENAI_API_KEY}), else the local engine.
     */
    static LocalGeneratorSource select(ModelOptions model, String apiKey, CliContext context,
                                       Consumer<ModelInfo> onLoaded) {
        Supplier<LocalModel> loader = () -> model.load(context.modelResolver(), model.loadOptions());
        if (OpenAiEndpoint.isRef(model.model)) {
            String key = apiKey != null ? apiKey : context.env().openAiApiKey();
            return new LocalGeneratorSource(loader, onLoaded, OpenAiEndpoint.parse(model.model, key));
        }
        return new LocalGeneratorSource(loader, onLoaded);
    }

    @Override
    public Generator generator() {
        if (generator == null && remote != null) {
            generator = new OpenAiRemoteGenerator(remote);
        }
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
