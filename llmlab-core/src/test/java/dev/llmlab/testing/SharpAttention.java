package dev.llmlab.testing;

import dev.llmlab.gguf.GgufWriter;

import java.lang.foreign.ValueLayout;

/**
 * Copies a synthetic model's tensors with F32 q/k weights 10x larger. With the synthetic 0.02 std, attention is
 * nearly uniform and positions (hence RoPE, windows) barely change the output; sharp attention makes them decide it.
 */
public final class SharpAttention {
    private SharpAttention() {
    }

    public static GgufWriter.Builder copy(GgufWriter base) {
        GgufWriter.Builder b = GgufWriter.builder().putAll(base.metadata());
        for (GgufWriter.TensorSpec t : base.tensors()) {
            if (!t.name().endsWith("attn_q.weight") && !t.name().endsWith("attn_k.weight")) {
                b.tensor(t);
                continue;
            }
            b.tensor(t.name(), t.type(), t.shape(), target -> {
                t.source().fill(target);
                for (long i = 0; i < target.byteSize(); i += 4) {
                    target.set(ValueLayout.JAVA_FLOAT_UNALIGNED, i,
                            10f * target.get(ValueLayout.JAVA_FLOAT_UNALIGNED, i));
                }
            });
        }
        return b;
    }
}
