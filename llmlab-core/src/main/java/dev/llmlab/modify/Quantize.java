package dev.llmlab.modify;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.gguf.GgufValue;
import dev.llmlab.kernels.ScalarKernels;
import dev.llmlab.quant.Encoders;
import dev.llmlab.quant.QuantTarget;
import dev.llmlab.quant.Quantizer;
import dev.llmlab.tensor.ComputePool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Quantizes a model with {@link Quantizer}: every quantizable weight, or only those whose name matches a regular
 * expression (e.g. {@code attn_.*} or {@code blk\.[0-3]\..*}: the GGUF names carry the role and layer).
 *
 * @param target       the type or mix (mixes only for the whole model: they choose per tensor)
 * @param namePattern  a regular expression a tensor's whole name must match; empty for every tensor
 * @param fallbacks    true: rows that do not fit the block take the quantizer's fallback type (as
 *                     {@code llmlab quantize} does); false: such a tensor is refused by {@link #check}
 * @param threads      threads to encode rows with
 */
public record Quantize(QuantTarget target, String namePattern, boolean fallbacks, int threads)
        implements ModelModifier {

    public Quantize {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(namePattern, "namePattern");
        if (threads < 1) {
            throw new InvalidRequestException("quantize: threads must be at least 1, got " + threads);
        }
        if (!namePattern.isEmpty() && target.isMix()) {
            throw new InvalidRequestException("quantize: " + target + " is a mix that chooses a type per tensor;"
                    + " with a name pattern give a plain type (e.g. Q4_K, Q8_0)");
        }
        try {
            Pattern.compile(namePattern);
        } catch (PatternSyntaxException e) {
            throw new InvalidRequestException("quantize: '" + namePattern + "' is not a regular expression: "
                    + e.getDescription());
        }
    }

    /** Every quantizable tensor, with the quantizer's fallbacks. */
    public static Quantize all(QuantTarget target, int threads) {
        return new Quantize(target, "", true, threads);
    }

    /** The tensors whose names match {@code regex}, strictly (a tensor whose rows do not fit is refused). */
    public static Quantize matching(GgmlType type, String regex, int threads) {
        return new Quantize(QuantTarget.plain(type), regex, false, threads);
    }

    private boolean selects(GgufModel.Tensor t) {
        return Quantizer.isQuantizable(t) && (namePattern.isEmpty() || Pattern.matches(namePattern, t.name()));
    }

    @Override
    public void check(GgufModel model) {
        GgmlType base = target.baseType();
        if (!Encoders.supports(base)) {
            throw new UnsupportedModelException("quantize: llmlab cannot encode " + base + "; supported: "
                    + Encoders.supportedTypes());
        }
        boolean any = false;
        for (GgufModel.Tensor t : model.tensors()) {
            if (!selects(t)) {
                continue;
            }
            any = true;
            if (t.type() != GgmlType.F32 && !ScalarKernels.TYPES.contains(t.type())) {
                throw new UnsupportedModelException("quantize: tensor '" + t.name() + "' is " + t.type()
                        + ", which llmlab cannot decode to requantize; start from an F32, F16 or BF16 model");
            }
            if (!fallbacks && !target.isMix() && t.rowLength() % base.blockSize() != 0) {
                throw new InvalidRequestException("quantize: tensor '" + t.name() + "' has rows of " + t.rowLength()
                        + " values, not a multiple of the " + base + " block (" + base.blockSize()
                        + "); exclude it from the pattern or pick a type with a smaller block");
            }
        }
        if (!any) {
            throw new InvalidRequestException("quantize: no quantizable tensor" + (namePattern.isEmpty() ? ""
                    : " matches '" + namePattern + "'") + " in " + model.source());
        }
    }

    @Override
    public GgufModel apply(GgufModel model) {
        check(model);
        try (ComputePool pool = ComputePool.ofThreads(threads)) {
            if (namePattern.isEmpty()) {
                return Quantizer.quantize(model, target, pool, Quantizer.Progress.NONE).model();
            }
            List<GgufModel.Tensor> selected = model.tensors().stream().filter(this::selects).toList();
            GgufModel part = Quantizer.quantize(model.withTensors(model.source(), selected), target, pool,
                    Quantizer.Progress.NONE).model();
            Map<String, GgufModel.Tensor> quantized = new HashMap<>();
            part.tensors().forEach(t -> quantized.put(t.name(), t));
            List<GgufModel.Tensor> out = new ArrayList<>(model.tensors().size());
            for (GgufModel.Tensor t : model.tensors()) {
                out.add(quantized.getOrDefault(t.name(), t));
            }
            Map<String, GgufValue> metadata = new LinkedHashMap<>(model.metadata());
            if (target.baseType().blockSize() > 1) {
                metadata.put("general.quantization_version", GgufValue.ofUint32(2));
            }
            return new GgufModel(model.source() + " (" + describe() + ")", metadata, out);
        }
    }

    @Override
    public String describe() {
        return "quantize " + (namePattern.isEmpty() ? "" : "tensors matching '" + namePattern + "' ") + "to " + target;
    }
}
