package dev.llmlab.quant;

import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.gguf.GgufValue;
import dev.llmlab.kernels.ScalarKernels;
import dev.llmlab.tensor.ComputePool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quantizes a model: a function from a {@link GgufModel} and a {@link QuantTarget} to a new model. The input is
 * never changed; tensors that keep their type are shared with it, the others get new, garbage-collected memory.
 * Rows are spread over the threads of a {@link ComputePool}; the result does not depend on their number.
 */
public final class Quantizer {
    private static final Pattern LAYER = Pattern.compile("^blk\\.(\\d+)\\.");
    private static final String FILE_TYPE_KEY = "general.file_type";
    private static final String QUANTIZATION_VERSION_KEY = "general.quantization_version";

    /** Told after each tensor, e.g. to draw a progress bar. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (choice, elementsDone, totalElements) -> { };

        void tensorDone(TensorChoice choice, long elementsDone, long totalElements);
    }

    /** The quantized model and the type chosen for each of its tensors (in order). */
    public record Result(GgufModel model, List<TensorChoice> choices) {
        public Result {
            choices = List.copyOf(choices);
        }

        public List<TensorChoice> fallbacks() {
            return choices.stream().filter(TensorChoice::isFallback).toList();
        }
    }

    private Quantizer() {
    }

    /** The type each tensor of {@code source} gets in {@code target}, without quantizing anything. */
    public static List<TensorChoice> plan(GgufModel source, QuantTarget target) {
        Map<MixRules.Category, Integer> counts = new LinkedHashMap<>();
        boolean hasOutput = false;
        for (GgufModel.Tensor t : source.tensors()) {
            counts.merge(MixRules.Category.of(t.name()), 1, Integer::sum);
            hasOutput |= t.name().equals("output.weight");
        }
        int blocks = blockCount(source);
        List<TensorChoice> choices = new ArrayList<>(source.tensors().size());
        for (GgufModel.Tensor t : source.tensors()) {
            if (!isQuantizable(t)) {
                choices.add(new TensorChoice(t.name(), t.type(), t.type(), t.elementCount(), ""));
                continue;
            }
            MixRules.Category category = MixRules.Category.of(t.name());
            // llama.cpp counts the layers of attn_v and ffn_down by their tensors (n_attention_wv, n_ffn_down).
            int layers = category == MixRules.Category.ATTN_V || category == MixRules.Category.FFN_DOWN
                    ? counts.get(category) : blocks;
            GgmlType wanted = MixRules.typeFor(target, t.name(), layerOf(t.name()), layers, !hasOutput,
                    t.rowLength());
            GgmlType chosen = Fallbacks.compatible(wanted, t.rowLength());
            String why = chosen == wanted ? "" : "rows of " + t.rowLength() + " are not a multiple of the "
                    + wanted + " block (" + wanted.blockSize() + "): " + chosen + " instead";
            choices.add(new TensorChoice(t.name(), t.type(), chosen, t.elementCount(), why));
        }
        return choices;
    }

    /** Quantizes {@code source} to {@code target}. */
    public static Result quantize(GgufModel source, QuantTarget target, ComputePool pool, Progress progress) {
        List<TensorChoice> choices = plan(source, target);
        long total = 0;
        for (TensorChoice c : choices) {
            total += c.elements();
        }
        List<GgufModel.Tensor> out = new ArrayList<>(choices.size());
        long done = 0;
        boolean quantized = false;
        for (int i = 0; i < choices.size(); i++) {
            TensorChoice c = choices.get(i);
            GgufModel.Tensor t = source.tensors().get(i);
            out.add(c.isKept() ? t : t.withData(c.to(), encode(t, c.to(), pool)));
            quantized |= c.to().blockSize() > 1;
            done += c.elements();
            progress.tensorDone(c, done, total);
        }
        Map<String, GgufValue> metadata = new LinkedHashMap<>(source.metadata());
        metadata.put(FILE_TYPE_KEY, GgufValue.ofUint32(target.llamaFileType()));
        if (quantized) {
            metadata.put(QUANTIZATION_VERSION_KEY, GgufValue.ofUint32(2));
        }
        return new Result(new GgufModel(source.source() + " (" + target + ")", metadata, out), choices);
    }

    /**
     * llama.cpp's tensor_allows_quantization for the tensors of decoder models: 2-D+ weights except norms (and
     * expert routers); integer tensors are never weights to quantize.
     */
    public static boolean isQuantizable(GgufModel.Tensor t) {
        String name = t.name();
        boolean integer = switch (t.type()) {
            case I8, I16, I32, I64 -> true;
            default -> false;
        };
        return !integer && t.shape().length >= 2 && name.endsWith("weight") && !name.contains("_norm.weight")
                && !name.contains("ffn_gate_inp.weight");
    }

    private static MemorySegment encode(GgufModel.Tensor t, GgmlType to, ComputePool pool) {
        int rowLength = Math.toIntExact(t.rowLength());
        long rows = t.elementCount() / rowLength;
        long inRowBytes = t.type().bytesFor(rowLength);
        int outRowBytes = Math.toIntExact(to.bytesFor(rowLength));
        MemorySegment target = Arena.ofAuto().allocate(Math.max(1, rows * outRowBytes), 64)
                .asSlice(0, rows * outRowBytes);
        BlockEncoder encoder = Encoders.forType(to);
        MemorySegment source = t.data();
        GgmlType from = t.type();
        checkDecodable(t);
        pool.parallelFor(Math.toIntExact(rows), rowLength, (start, end) -> {
            float[] row = new float[rowLength];
            byte[] bytes = new byte[outRowBytes];
            for (int r = start; r < end; r++) {
                if (from == GgmlType.F32) {
                    MemorySegment.copy(source, ValueLayout.JAVA_FLOAT_UNALIGNED, r * inRowBytes, row, 0, rowLength);
                } else {
                    ScalarKernels.decode(from, source, r * inRowBytes, row, 0, rowLength);
                }
                encoder.encode(row, 0, rowLength, bytes, 0);
                MemorySegment.copy(bytes, 0, target, ValueLayout.JAVA_BYTE, (long) r * outRowBytes, outRowBytes);
            }
        });
        return target;
    }

    private static void checkDecodable(GgufModel.Tensor t) {
        if (t.type() == GgmlType.F32) {
            return;
        }
        try {
            ScalarKernels.decode(t.type(), t.data(), 0, new float[t.type().blockSize()], 0, t.type().blockSize());
        } catch (IllegalArgumentException e) {
            throw new UnsupportedModelException("cannot requantize tensor '" + t.name() + "': llmlab cannot decode "
                    + t.type() + " yet; start from an F32, F16 or BF16 model");
        }
    }

    private static int layerOf(String name) {
        Matcher m = LAYER.matcher(name);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** {@code <arch>.block_count}, else one more than the highest {@code blk.N} index. */
    private static int blockCount(GgufModel model) {
        GgufValue arch = model.metadata().get("general.architecture");
        if (arch != null && arch.value() instanceof String a
                && model.metadata().get(a + ".block_count") instanceof GgufValue v && v.value() instanceof Long n) {
            return n.intValue();
        }
        int max = -1;
        for (GgufModel.Tensor t : model.tensors()) {
            max = Math.max(max, layerOf(t.name()));
        }
        return max + 1;
    }
}
