package dev.llmlab.model;

import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufMetadata;
import dev.llmlab.gguf.GgufTensorInfo;
import dev.llmlab.kernels.ScalarKernels;

import java.util.Collection;
import java.util.Optional;

/** Reads a {@link ModelConfig} from a GGUF file's metadata, and presents its tensors as a {@link TensorStore}. */
final class GgufModelLoader implements TensorStore {
    private final GgufFile file;
    private final Architecture arch;
    private final TensorNaming naming = TensorNaming.GGUF;

    GgufModelLoader(GgufFile file, Architecture arch) {
        this.file = file;
        this.arch = arch;
    }

    ModelConfig config() {
        GgufMetadata md = file.metadata();
        String a = arch.name();
        int d = md.count(a + ".embedding_length");
        int heads = md.count(a + ".attention.head_count");
        int headDim = md.count(a + ".attention.key_length", heads == 0 ? 0 : d / heads);
        GgufTensorInfo embedding = file.tensor(naming.name(TensorRole.TOKEN_EMBEDDING)).orElseThrow(() ->
                new ModelFormatException(file.path() + ": tensor '" + naming.name(TensorRole.TOKEN_EMBEDDING)
                        + "' is missing; the file is incomplete or not a " + a + " model"));
        int vocab = (int) embedding.dim(1);
        boolean rope = arch.design().positions() == BlockDesign.Positions.ROPE;
        float eps = arch.design().normalization() == BlockDesign.Normalization.LAYER_NORM
                ? md.optFloat(a + ".attention.layer_norm_epsilon").orElse(1e-5f)
                : md.optFloat(a + ".attention.layer_norm_rms_epsilon").orElse(1e-5f);
        return new ModelConfig(a,
                vocab,
                d,
                md.count(a + ".block_count"),
                heads,
                md.count(a + ".attention.head_count_kv", heads),
                headDim,
                md.count(a + ".feed_forward_length"),
                md.count(a + ".context_length"),
                eps,
                md.optFloat(a + ".rope.freq_base").orElse(10_000f),
                rope ? md.count(a + ".rope.dimension_count", headDim) : 0,
                arch.ggufRopeLayout(),
                arch.design(),
                rope ? ropeScaling(md, a) : new RopeScaling.None(),
                md.count(a + ".attention.sliding_window", 0));
    }

    /** {@code rope.scaling.type} linear (with its factor), or Llama 3 frequency factors in {@code rope_freqs.weight}. */
    private RopeScaling ropeScaling(GgufMetadata md, String a) {
        Optional<GgufTensorInfo> freqs = file.tensor(naming.name(TensorRole.ROPE_FREQS));
        if (freqs.isPresent()) {
            GgufTensorInfo t = freqs.get();
            float[] factors = new float[(int) t.elementCount()];
            ScalarKernels.decode(t.type(), file.tensorData(t), 0, factors, 0, factors.length);
            return new RopeScaling.FrequencyFactors(factors);
        }
        String type = md.optString(a + ".rope.scaling.type").orElse("none");
        return switch (type) {
            case "none" -> new RopeScaling.None();
            case "linear" -> {
                float factor = md.optFloat(a + ".rope.scaling.factor").orElse(1f);
                yield factor == 1f ? new RopeScaling.None() : new RopeScaling.Linear(factor);
            }
            default -> throw new UnsupportedModelException(file.path() + ": RoPE scaling '" + type
                    + "' is not supported yet; supported: none, linear, llama3 (rope_freqs.weight)");
        };
    }

    @Override
    public Optional<StoredTensor> find(String name) {
        return file.tensor(name).map(this::stored);
    }

    @Override
    public Collection<StoredTensor> all() {
        return file.tensors().values().stream().map(this::stored).toList();
    }

    @Override
    public String location() {
        return file.path().toString();
    }

    private StoredTensor stored(GgufTensorInfo t) {
        return new StoredTensor(t.name(), t.type(), t.shape(), file.tensorData(t));
    }
}
