package dev.llmlab.modify;

import dev.llmlab.gguf.GgufModel;
import dev.llmlab.gguf.GgufValue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a modifier changed, for the CLI summary and experiment records: tensors by name (a tensor whose bytes are
 * the input's under another name, as layers are renumbered, counts as renamed) and metadata keys by value.
 */
public record ModelDiff(int tensorsBefore, int tensorsAfter, List<String> added, List<String> removed,
                        List<String> renamed, List<String> changed, int unchanged,
                        long bytesBefore, long bytesAfter, List<String> metadataChanges) {

    public ModelDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        renamed = List.copyOf(renamed);
        changed = List.copyOf(changed);
        metadataChanges = List.copyOf(metadataChanges);
    }

    public static ModelDiff between(GgufModel before, GgufModel after) {
        Map<String, GgufModel.Tensor> in = new LinkedHashMap<>();
        before.tensors().forEach(t -> in.put(t.name(), t));
        Map<MemorySegment, String> inBySegment = new IdentityHashMap<>();
        before.tensors().forEach(t -> inBySegment.put(t.data(), t.name()));
        List<String> added = new ArrayList<>();
        List<String> renamed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        Map<String, Boolean> used = new LinkedHashMap<>();
        int unchanged = 0;
        for (GgufModel.Tensor t : after.tensors()) {
            GgufModel.Tensor old = in.get(t.name());
            String sameBytes = inBySegment.get(t.data());
            if (old != null && old.data() == t.data()) {
                unchanged++;
                used.put(t.name(), true);
            } else if (sameBytes != null) {
                renamed.add(sameBytes + " -> " + t.name());
                used.put(sameBytes, true);
            } else if (old != null) {
                changed.add(t.name() + " " + old.type() + Arrays.toString(old.shape()) + " -> " + t.type()
                        + Arrays.toString(t.shape()));
                used.put(t.name(), true);
            } else {
                added.add(t + "");
            }
        }
        List<String> removed = in.keySet().stream().filter(n -> !used.containsKey(n)
                && after.tensor(n).isEmpty()).toList();
        List<String> md = new ArrayList<>();
        before.metadata().forEach((k, v) -> {
            GgufValue w = after.metadata().get(k);
            if (w == null) {
                md.add("- " + k);
            } else if (!sameValue(v, w)) {
                md.add("~ " + k + ": " + v + " -> " + w);
            }
        });
        after.metadata().forEach((k, w) -> {
            if (!before.metadata().containsKey(k)) {
                md.add("+ " + k + " = " + w);
            }
        });
        return new ModelDiff(before.tensors().size(), after.tensors().size(), added, removed, renamed, changed,
                unchanged, bytes(before), bytes(after), md);
    }

    static long bytes(GgufModel m) {
        return m.tensors().stream().mapToLong(t -> t.data().byteSize()).sum();
    }

    /** Values equal by content (arrays element by element). */
    static boolean sameValue(GgufValue a, GgufValue b) {
        if (a.type() != b.type() || a.elementType() != b.elementType()) {
            return false;
        }
        return switch (a.value()) {
            case long[] x -> b.value() instanceof long[] y && Arrays.equals(x, y);
            case float[] x -> b.value() instanceof float[] y && Arrays.equals(x, y);
            case double[] x -> b.value() instanceof double[] y && Arrays.equals(x, y);
            case boolean[] x -> b.value() instanceof boolean[] y && Arrays.equals(x, y);
            case List<?> x -> b.value() instanceof List<?> y && x.size() == y.size() && sameElements(x, y);
            default -> Objects.equals(a.value(), b.value());
        };
    }

    private static boolean sameElements(List<?> x, List<?> y) {
        for (int i = 0; i < x.size(); i++) {
            Object p = x.get(i);
            Object q = y.get(i);
            boolean same = p instanceof GgufValue g && q instanceof GgufValue h ? sameValue(g, h) : Objects.equals(p, q);
            if (!same) {
                return false;
            }
        }
        return true;
    }
}
