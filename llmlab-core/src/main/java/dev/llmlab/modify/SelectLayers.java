package dev.llmlab.modify;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.gguf.GgufValue;
import dev.llmlab.gguf.GgufValueType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * Layer pruning: keeps some transformer blocks (or drops some), renumbers the kept {@code blk.N.*} tensors
 * 0..k-1 in their original order, and updates {@code <arch>.block_count}. Per-layer metadata arrays (arrays under
 * {@code <arch>.} with one element per block, as some architectures store per-layer head counts) keep the elements
 * of the kept layers. Every other tensor is shared with the input.
 *
 * @param layers  the layer indexes named by the user
 * @param keep    true: {@code layers} are the ones kept; false: they are the ones dropped
 */
public record SelectLayers(Set<Integer> layers, boolean keep) implements ModelModifier {

    public SelectLayers {
        layers = Set.copyOf(new TreeSet<>(layers));
    }

    public static SelectLayers drop(Set<Integer> layers) {
        return new SelectLayers(layers, false);
    }

    public static SelectLayers keep(Set<Integer> layers) {
        return new SelectLayers(layers, true);
    }

    /**
     * Parses a layer list: indexes and inclusive ranges separated by commas, e.g. {@code 4}, {@code 1,3},
     * {@code 2-5}. Empty means no layers.
     */
    public static Set<Integer> parseList(String text) {
        Set<Integer> out = new TreeSet<>();
        if (text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            String p = part.strip();
            try {
                int dash = p.indexOf('-', 1);
                if (dash < 0) {
                    out.add(Integer.parseInt(p));
                } else {
                    int from = Integer.parseInt(p.substring(0, dash).strip());
                    int to = Integer.parseInt(p.substring(dash + 1).strip());
                    if (to < from) {
                        throw new InvalidRequestException("layer range '" + p + "' is empty; write it low-high");
                    }
                    for (int i = from; i <= to; i++) {
                        out.add(i);
                    }
                }
            } catch (NumberFormatException e) {
                throw new InvalidRequestException("layer list '" + text + "': '" + p
                        + "' is not a layer index or a range like 2-5");
            }
        }
        return out;
    }

    /** The original indexes of the layers the result has, in order. */
    public List<Integer> keptLayers(int blockCount) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < blockCount; i++) {
            if (layers.contains(i) == keep) {
                kept.add(i);
            }
        }
        return kept;
    }

    @Override
    public void check(GgufModel model) {
        String key = ModelFacts.blockCountKey(model);
        int blocks = ModelFacts.blockCount(model);
        for (int layer : layers) {
            if (layer < 0 || layer >= blocks) {
                throw new InvalidRequestException(model.source() + ": layer " + layer + " is out of range: '" + key
                        + "' = " + blocks + ", so layers are 0.." + (blocks - 1));
            }
        }
        if (keptLayers(blocks).isEmpty()) {
            throw new InvalidRequestException(model.source() + ": " + describe() + " leaves no layer of " + blocks
                    + "; a model needs at least one block");
        }
        for (GgufModel.Tensor t : model.tensors()) {
            int layer = ModelFacts.layerOf(t.name());
            if (layer >= blocks) {
                throw new InvalidRequestException(model.source() + ": tensor '" + t.name() + "' belongs to layer "
                        + layer + " but '" + key + "' = " + blocks);
            }
        }
    }

    @Override
    public GgufModel apply(GgufModel model) {
        check(model);
        int blocks = ModelFacts.blockCount(model);
        List<Integer> kept = keptLayers(blocks);
        Map<Integer, Integer> newIndex = new LinkedHashMap<>();
        for (int i = 0; i < kept.size(); i++) {
            newIndex.put(kept.get(i), i);
        }
        List<GgufModel.Tensor> tensors = new ArrayList<>();
        // Global tensors keep their place; block tensors follow in the new layer order, each layer's tensors in
        // their original order.
        for (GgufModel.Tensor t : model.tensors()) {
            Matcher m = ModelFacts.LAYER.matcher(t.name());
            if (!m.matches()) {
                tensors.add(t);
                continue;
            }
            Integer to = newIndex.get(Integer.parseInt(m.group(1)));
            if (to != null) {
                tensors.add(new GgufModel.Tensor("blk." + to + "." + m.group(2), t.type(), t.shape(), t.data()));
            }
        }
        Map<String, GgufValue> metadata = new LinkedHashMap<>(model.metadata());
        String arch = ModelFacts.architecture(model);
        for (Map.Entry<String, GgufValue> e : model.metadata().entrySet()) {
            GgufValue v = e.getValue();
            if (e.getKey().startsWith(arch + ".") && v.type() == GgufValueType.ARRAY && v.length() == blocks
                    && blocks > 1) {
                metadata.put(e.getKey(), selectElements(v, kept));
            }
        }
        metadata.put(ModelFacts.blockCountKey(model), GgufValue.ofUint32(kept.size()));
        return new GgufModel(model.source() + " (" + describe() + ")", metadata, tensors);
    }

    private static GgufValue selectElements(GgufValue array, List<Integer> kept) {
        int[] idx = kept.stream().mapToInt(Integer::intValue).toArray();
        Object out = switch (array.value()) {
            case long[] a -> java.util.Arrays.stream(idx).mapToLong(i -> a[i]).toArray();
            case double[] a -> java.util.Arrays.stream(idx).mapToDouble(i -> a[i]).toArray();
            case float[] a -> {
                float[] f = new float[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    f[i] = a[idx[i]];
                }
                yield f;
            }
            case boolean[] a -> {
                boolean[] b = new boolean[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    b[i] = a[idx[i]];
                }
                yield b;
            }
            case List<?> l -> java.util.Arrays.stream(idx).mapToObj(l::get).toList();
            default -> throw new IllegalStateException("not an array: " + array);
        };
        return new GgufValue(array.type(), array.elementType(), out);
    }

    @Override
    public String describe() {
        return (keep ? "keep" : "drop") + " layers " + new TreeSet<>(layers);
    }
}
