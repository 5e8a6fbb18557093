package dev.llmlab.hf;

import dev.llmlab.error.ModelFormatException;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.Architecture;
import dev.llmlab.model.ArchitectureRegistry;
import dev.llmlab.model.Checkpoint;
import dev.llmlab.model.ModelConfig;
import dev.llmlab.model.StoredTensor;
import dev.llmlab.model.TensorNaming;
import dev.llmlab.model.TensorRole;
import dev.llmlab.model.TensorStore;
import dev.llmlab.safetensors.SafetensorsCheckpoint;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;

/**
 * A Hugging Face checkpoint directory ({@code config.json} + safetensors) as a {@link Checkpoint}. Weights stay in
 * the (mapped or read) safetensors files; q/k are stored for rotate-half RoPE (NEOX).
 */
public final class HfCheckpoint implements Checkpoint, TensorStore {
    private final Path directory;
    private final HfConfig hfConfig;
    private final ModelConfig config;
    private final Architecture architecture;
    private final TensorNaming naming;
    private final SafetensorsCheckpoint weights;

    private HfCheckpoint(Path directory, HfConfig hfConfig, Architecture architecture, SafetensorsCheckpoint weights) {
        this.directory = directory;
        this.hfConfig = hfConfig;
        this.config = hfConfig.modelConfig();
        this.architecture = architecture;
        this.weights = weights;
        TensorNaming base = hfConfig.modelClass().naming();
        // GPT-2 checkpoints saved from the base model (GPT2Model) prefix every name with "transformer.".
        this.naming = weights.tensor(base.name(TensorRole.TOKEN_EMBEDDING)).isEmpty()
                && weights.tensor("transformer." + base.name(TensorRole.TOKEN_EMBEDDING)).isPresent()
                ? base.withPrefix("transformer.") : base;
        String head = naming.name(TensorRole.OUTPUT);
        if (!hfConfig.tiedEmbeddings() && weights.tensor(head).isEmpty()) {
            throw new ModelFormatException(directory + ": config.json says tie_word_embeddings = false but the "
                    + "weights have no '" + head + "'; the checkpoint is incomplete");
        }
    }

    public static HfCheckpoint open(Path directory, LoadMode mode, ArchitectureRegistry architectures) {
        HfConfig hfConfig = HfConfig.read(directory);
        Architecture architecture = architectures.find(hfConfig.modelClass().architecture(), directory.toString());
        hfConfig.modelConfig();
        SafetensorsCheckpoint weights = SafetensorsCheckpoint.open(directory, mode);
        try {
            return new HfCheckpoint(directory, hfConfig, architecture, weights);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    public HfConfig hfConfig() {
        return hfConfig;
    }

    public SafetensorsCheckpoint weights() {
        return weights;
    }

    @Override
    public String name() {
        return directory.toAbsolutePath().normalize().getFileName().toString();
    }

    @Override
    public Path path() {
        return directory;
    }

    @Override
    public long sizeBytes() {
        return weights.sizeBytes();
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public TensorStore tensors() {
        return this;
    }

    @Override
    public TensorNaming naming() {
        return naming;
    }

    @Override
    public boolean quantizeWhenLarge() {
        return true;
    }

    @Override
    public Optional<StoredTensor> find(String name) {
        return weights.tensor(name).map(HfCheckpoint::stored);
    }

    @Override
    public Collection<StoredTensor> all() {
        return weights.tensors().values().stream().map(HfCheckpoint::stored).toList();
    }

    @Override
    public String location() {
        return directory.toString();
    }

    private static StoredTensor stored(SafetensorsCheckpoint.Located l) {
        return new StoredTensor(l.tensor().name(), l.tensor().dtype().ggmlType(), l.tensor().ggmlShape(), l.data());
    }

    @Override
    public void close() {
        weights.close();
    }
}
