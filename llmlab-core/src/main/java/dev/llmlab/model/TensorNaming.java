package dev.llmlab.model;

import java.util.EnumMap;
import java.util.Map;

/**
 * One name template per tensor role for a source format: tensor names are data, not code. Per-layer templates
 * take the layer index as {@code %d}.
 */
public record TensorNaming(String format, Map<TensorRole, String> templates) {

    public TensorNaming {
        templates = Map.copyOf(templates);
    }

    /** llama.cpp's GGUF names. */
    public static final TensorNaming GGUF = new TensorNaming("gguf", ggufTemplates());

    public String name(TensorRole role, int layer) {
        String template = templates.get(role);
        if (template == null) {
            throw new IllegalArgumentException(format + " has no name for " + role);
        }
        return role.perLayer() ? template.formatted(layer) : template;
    }

    public String name(TensorRole role) {
        return name(role, -1);
    }

    private static Map<TensorRole, String> ggufTemplates() {
        Map<TensorRole, String> m = new EnumMap<>(TensorRole.class);
        m.put(TensorRole.TOKEN_EMBEDDING, "token_embd.weight");
        m.put(TensorRole.ATTN_NORM, "blk.%d.attn_norm.weight");
        m.put(TensorRole.ATTN_Q, "blk.%d.attn_q.weight");
        m.put(TensorRole.ATTN_K, "blk.%d.attn_k.weight");
        m.put(TensorRole.ATTN_V, "blk.%d.attn_v.weight");
        m.put(TensorRole.ATTN_Q_BIAS, "blk.%d.attn_q.bias");
        m.put(TensorRole.ATTN_K_BIAS, "blk.%d.attn_k.bias");
        m.put(TensorRole.ATTN_V_BIAS, "blk.%d.attn_v.bias");
        m.put(TensorRole.ATTN_OUT, "blk.%d.attn_output.weight");
        m.put(TensorRole.FFN_NORM, "blk.%d.ffn_norm.weight");
        m.put(TensorRole.FFN_GATE, "blk.%d.ffn_gate.weight");
        m.put(TensorRole.FFN_UP, "blk.%d.ffn_up.weight");
        m.put(TensorRole.FFN_DOWN, "blk.%d.ffn_down.weight");
        m.put(TensorRole.OUTPUT_NORM, "output_norm.weight");
        m.put(TensorRole.OUTPUT, "output.weight");
        return m;
    }
}
