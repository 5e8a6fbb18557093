package dev.llmlab.modify;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufMetadata;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.kernels.ScalarKernels;
import dev.llmlab.model.Architecture;
import dev.llmlab.model.ArchitectureRegistry;
import dev.llmlab.model.RopeLayout;
import dev.llmlab.model.TensorNaming;
import dev.llmlab.model.TensorRole;
import dev.llmlab.model.WeightConversion;
import dev.llmlab.quant.Encoders;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * Merges a PEFT LoRA adapter into the weights: {@code W' = W + (lora_alpha / r) * scale * B A} for every adapted
 * module, mapped from Hugging Face names to GGUF names with the same {@link TensorNaming} tables the checkpoint
 * loader and {@code convert} use. Llama-family q/k rows are permuted as {@code convert} permutes them (GGUF
 * interleaved RoPE pairs). A quantized weight is decoded, added to and re-encoded to its own type (so the merge adds
 * one more rounding); the other tensors are shared.
 *
 * @param directory the PEFT directory ({@code adapter_config.json}, {@code adapter_model.safetensors})
 * @param scale     the user's multiplier on top of alpha / r (1 = as trained)
 */
public record MergeLora(Path directory, float scale) implements ModelModifier {

    public MergeLora {
        Objects.requireNonNull(directory, "directory");
        LoraAdapter.requirePositive(scale);
    }

    /** One adapted GGUF tensor: the HF module, its GGUF tensor and the row order convert used. */
    record Target(LoraAdapter.Pair pair, String tensor, IntUnaryOperator hfRowOf) {
    }

    @Override
    public void check(GgufModel model) {
        targets(model, LoraAdapter.read(directory));
    }

    @Override
    public GgufModel apply(GgufModel model) {
        LoraAdapter adapter = LoraAdapter.read(directory);
        List<Target> targets = targets(model, adapter);
        double s = adapter.scaling() * scale;
        Map<String, GgufModel.Tensor> merged = new HashMap<>();
        for (Target t : targets) {
            merged.put(t.tensor(), merge(model.tensor(t.tensor()).orElseThrow(), t, s));
        }
        List<GgufModel.Tensor> tensors = new ArrayList<>(model.tensors().size());
        model.tensors().forEach(t -> tensors.add(merged.getOrDefault(t.name(), t)));
        return new GgufModel(model.source() + " (" + describe() + ")", model.metadata(), tensors);
    }

    /** Each adapted module's GGUF tensor, checked for shape and type. */
    static List<Target> targets(GgufModel model, LoraAdapter adapter) {
        String arch = ModelFacts.architecture(model);
        Architecture architecture = ArchitectureRegistry.defaults().find(arch, model.source());
        int blocks = ModelFacts.blockCount(model);
        GgufMetadata md = ModelFacts.metadata(model);
        int heads = md.count(arch + ".attention.head_count");
        int headDim = md.count(arch + ".attention.key_length", md.count(arch + ".embedding_length") / heads);
        List<TensorNaming> hfNamings = arch.equals("gpt2")
                ? List.of(TensorNaming.HF_GPT2, TensorNaming.HF_GPT2.withPrefix("transformer."))
                : List.of(TensorNaming.HF_LLAMA);
        Map<String, String> ggufByHf = new HashMap<>();
        Map<String, TensorRole> roleByHf = new HashMap<>();
        for (TensorNaming hf : hfNamings) {
            for (TensorRole role : TensorRole.values()) {
                if (!hf.has(role) || !TensorNaming.GGUF.has(role)) {
                    continue;
                }
                for (int l = role.perLayer() ? 0 : -1; l < (role.perLayer() ? blocks : 0); l++) {
                    String hfName = hf.name(role, l);
                    if (hfName.endsWith(".weight")) {
                        String module = hfName.substring(0, hfName.length() - ".weight".length());
                        ggufByHf.put(module, TensorNaming.GGUF.name(role, l));
                        roleByHf.put(module, role);
                    }
                }
            }
        }
        List<Target> targets = new ArrayList<>();
        for (LoraAdapter.Pair p : adapter.pairs().values()) {
            String gguf = ggufByHf.get(p.module());
            if (gguf == null) {
                throw new InvalidRequestException(adapter.directory() + ": adapted module '" + p.module()
                        + "' is not a weight of this " + arch + " model with " + blocks + " layers");
            }
            GgufModel.Tensor w = model.tensor(gguf).orElseThrow(() -> new InvalidRequestException(adapter.directory()
                    + ": module '" + p.module() + "' maps to tensor '" + gguf + "', which " + model.source() + " lacks"));
            long[] shape = w.shape();
            if (shape.length != 2 || shape[0] != p.in() || shape[1] != p.out()) {
                throw new InvalidRequestException(adapter.directory() + ": module '" + p.module() + "' is " + p.out()
                        + " x " + p.in() + " (out x in) but tensor '" + gguf + "' is " + w);
            }
            if (!ScalarKernels.TYPES.contains(w.type()) || !Encoders.supports(w.type())) {
                throw new InvalidRequestException("cannot merge into tensor '" + gguf + "': llmlab cannot decode and"
                        + " re-encode " + w.type());
            }
            TensorRole role = roleByHf.get(p.module());
            boolean permute = architecture.ggufRopeLayout() == RopeLayout.INTERLEAVED
                    && (role == TensorRole.ATTN_Q || role == TensorRole.ATTN_K);
            targets.add(new Target(p, gguf, permute ? WeightConversion.interleavedFromRotateHalf(headDim)
                    : IntUnaryOperator.identity()));
        }
        return targets;
    }

    /** W + s * B A, row by row, in W's type. */
    private static GgufModel.Tensor merge(GgufModel.Tensor w, Target target, double s) {
        LoraAdapter.Pair p = target.pair();
        int cols = p.in();
        int rank = p.a().length / cols;
        long rowBytes = w.type().bytesFor(cols);
        MemorySegment out = Arena.ofAuto().allocate(w.data().byteSize(), 64);
        float[] row = new float[cols];
        byte[] encoded = new byte[Math.toIntExact(rowBytes)];
        for (int r = 0; r < p.out(); r++) {
            if (w.type() == GgmlType.F32) {
                MemorySegment.copy(w.data(), ValueLayout.JAVA_FLOAT_UNALIGNED, r * rowBytes, row, 0, cols);
            } else {
                ScalarKernels.decode(w.type(), w.data(), r * rowBytes, row, 0, cols);
            }
            int hfRow = target.hfRowOf().applyAsInt(r);
            for (int c = 0; c < cols; c++) {
                double delta = 0;
                for (int k = 0; k < rank; k++) {
                    delta += (double) p.b()[hfRow * rank + k] * p.a()[k * cols + c];
                }
                row[c] = (float) (row[c] + s * delta);
            }
            Encoders.encode(w.type(), row, 0, cols, encoded, 0);
            MemorySegment.copy(encoded, 0, out, ValueLayout.JAVA_BYTE, r * rowBytes, encoded.length);
        }
        return w.withData(w.type(), out);
    }

    @Override
    public String describe() {
        return "merge LoRA " + directory.getFileName() + (scale == 1f ? "" : " x" + scale);
    }
}
