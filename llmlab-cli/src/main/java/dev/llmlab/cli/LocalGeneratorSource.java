package dev.llmlab.cli;

import dev.llmlab.experiment.GeneratorSource;
import dev.llmlab.experiment.LocalModelSource;
import dev.llmlab.experiment.ModelSource;
import dev.llmlab.generate.Generator;
import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.model.LocalModel;
import dev.llmlab.model.ModelInfo;
import dev.llmlab.remote.OpenAiEndpoint;
import dev.llmlab.remote.OpenAiRemoteGenerator;

import java.util.List;
import java.util.function.Consumer;

/**
 * The generator of a run: the first selected model, loaded on first use (the view is told), or an
 * OpenAI-compatible server for {@code openai:URL#model}, recognised before any hub resolution and never loaded.
 * Closes what it opened.
 */
final class LocalGeneratorSource implements GeneratorSource, AutoCloseable {
    private final ModelSource models;
    private final OpenAiEndpoint remote;
    private LocalModel model;
    private Generator generator;

    private LocalGeneratorSource(ModelSource models, OpenAiEndpoint remote) {
        this.models = models;
        this.remote = remote;
    }

    /**
     * The generator for {@code refs}: a remote server when the one ref is {@code openai:URL#model} (key from
     * {@code apiKey}, else {@code OPENAI_API_KEY}), else the local engine on {@code models}.
     */
    static LocalGeneratorSource select(List<String> refs, String apiKey, CliContext context, ModelSource models) {
        if (refs.size() == 1 && OpenAiEndpoint.isRef(refs.getFirst())) {
            String key = apiKey != null ? apiKey : context.env().openAiApiKey();
            return new LocalGeneratorSource(models, OpenAiEndpoint.parse(refs.getFirst(), key));
        }
        return new LocalGeneratorSource(models, null);
    }

    /** The generator for {@code --model} of a command that runs one model. */
    static LocalGeneratorSource select(ModelOptions model, String apiKey, CliContext context,
                                       Consumer<ModelInfo> onLoaded) {
        List<String> refs = List.of(model.single());
        return select(refs, apiKey, context, model.source(context.modelResolver(), model.loadOptions(), onLoaded));
    }

    @Override
    public Generator generator() {
        if (generator == null && remote != null) {
            generator = new OpenAiRemoteGenerator(remote);
        }
        if (generator == null) {
            model = models.loadFirst();
            generator = new LocalGenerator(model);
        }
        return generator;
    }

    /** The local model, once {@link #generator()} loaded it; empty for a remote server. */
    java.util.Optional<LocalModel> localModel() {
        return java.util.Optional.ofNullable(model);
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
