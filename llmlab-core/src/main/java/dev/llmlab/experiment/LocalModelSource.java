package dev.llmlab.experiment;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.experiment.record.FileDigest;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.experiment.record.RunRecord;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.model.ModelInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The models of one run: the selected references, resolved to files (the CLI resolves through the search path
 * and cache), loaded with the run's options; tells the view about each load and remembers the files for the
 * run record.
 */
public final class LocalModelSource implements ModelSource {
    private final List<String> refs;
    private final Function<String, Path> resolver;
    private final LoadOptions options;
    private final Consumer<ModelInfo> onLoaded;
    private final BiFunction<Path, LoadOptions, LocalModel> loader;
    private final Map<String, Path> used = new LinkedHashMap<>();

    public LocalModelSource(List<String> refs, Function<String, Path> resolver, LoadOptions options,
                            Consumer<ModelInfo> onLoaded) {
        this(refs, resolver, options, onLoaded, LocalModel::load);
    }

    /** With {@code loader} in place of {@link LocalModel#load(Path, LoadOptions)} (e.g. a memory check first). */
    public LocalModelSource(List<String> refs, Function<String, Path> resolver, LoadOptions options,
                            Consumer<ModelInfo> onLoaded, BiFunction<Path, LoadOptions, LocalModel> loader) {
        if (refs.isEmpty()) {
            throw new InvalidRequestException("no model selected: pass --model REF");
        }
        this.refs = List.copyOf(refs);
        this.resolver = resolver;
        this.options = options;
        this.onLoaded = onLoaded;
        this.loader = loader;
    }

    @Override
    public List<String> refs() {
        return refs;
    }

    @Override
    public LoadOptions loadOptions() {
        return options;
    }

    /** The file of {@code ref}; resolving a reference counts it as used by the run. */
    @Override
    public Path resolve(String ref) {
        Path file = resolver.apply(ref);
        used.putIfAbsent(ref, file);
        return file;
    }

    @Override
    public LocalModel load(String ref, UnaryOperator<LoadOptions> adjust) {
        return announce(loader.apply(resolve(ref), adjust.apply(options)));
    }

    @Override
    public LocalModel load(GgufModel model, UnaryOperator<LoadOptions> adjust) {
        return announce(LocalModel.load(model, adjust.apply(options)));
    }

    private LocalModel announce(LocalModel model) {
        onLoaded.accept(model.info());
        return model;
    }

    /** The selected models that were loaded, with size and SHA-256, for the run record. */
    public List<RunRecord.ModelFile> usedFiles() {
        return used.entrySet().stream().map(e -> {
            Path file = e.getValue();
            try {
                return new RunRecord.ModelFile(e.getKey(), file.toAbsolutePath().toString(), Files.size(file),
                        FileDigest.sha256(file));
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot read " + file + ": " + ex.getMessage(), ex);
            }
        }).toList();
    }
}
