package dev.llmlab.model;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * One name template per tensor role for a source format: tensor names are data, not code. Per-layer templates
 * take the layer index as {@code %d}. A source also declares which matrices it stores transposed
 * ({@code [in, out]}, GPT-2's Conv1D) rather than as {@code [out, in]} rows.
 */
public record TensorNaming(String format, Map<TensorRole, String> templates, Set<TensorRole> transposed) {

    public TensorNaming {
        templates = Map.copyOf(templates);
        transposed = Set.copyOf(transposed);
    }

    public TensorNaming(String format, Map<TensorRole, String> templates) {
        this(format, templates, Set.of());
    }

    /** llama.cpp's GGUF names (every architecture). */
    public static final TensorNaming GGUF = new TensorNaming("gguf", ggufTemplates());

    /** Hugging Face Llama, Mistral, Qwen2 checkpoints ({@code model.layers.%d.self_attn.q_proj.weight}). */
    public static final TensorNaming HF_LLAMA = new TensorNaming("hf-llama", hfLlamaTemplates());

    /** Hugging Face GPT-2 checkpoints ({@code h.%d.attn.c_attn.weight}); Conv1D weights are stored [in, out]. */
    public static final TensorNaming HF_GPT2 = new TensorNaming("hf-gpt2", hfGpt2Templates(),
            Set.of(TensorRole.ATTN_QKV, TensorRole.ATTN_OUT, TensorRole.FFN_UP, TensorRole.FFN_DOWN));

    public boolean has(TensorRole role) {
        return templates.containsKey(role);
    }

    public boolean isTransposed(TensorRole role) {
        return transposed.contains(role);
    }

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

    /** The same names under a prefix, e.g. {@code transformer.} for GPT-2 checkpoints saved from the base model. */
    public TensorNaming withPrefix(String prefix) {
        Map<TensorRole, String> m = new EnumMap<>(TensorRole.class);
        templates.forEach((role, template) -> m.put(role, role == TensorRole.OUTPUT ? template : prefix + template));
        return new TensorNaming(format + "+" + prefix, m, transposed);
    }

    private static Map<TensorRole, String> ggufTemplates() {
        Map<TensorRole, String> m = new EnumMap<>(TensorRole.class);
        m.put(TensorRole.TOKEN_EMBEDDING, "token_embd.weight");
        m.put(TensorRole.POSITION_EMBEDDING, "position_embd.weight");
        m.put(TensorRole.ATTN_NORM, "blk.%d.attn_norm.weight");
        m.put(TensorRole.ATTN_NORM_BIAS, "blk.%d.attn_norm.bias");
        m.put(TensorRole.ATTN_Q, "blk.%d.attn_q.weight");
        m.put(TensorRole.ATTN_K, "blk.%d.attn_k.weight");
        m.put(TensorRole.ATTN_V, "blk.%d.attn_v.weight");
        m.put(TensorRole.ATTN_QKV, "blk.%d.attn_qkv.weight");
        m.put(TensorRole.ATTN_Q_BIAS, "blk.%d.attn_q.bias");
        m.put(TensorRole.ATTN_K_BIAS, "blk.%d.attn_k.bias");
        m.put(TensorRole.ATTN_V_BIAS, "blk.%d.attn_v.bias");
        m.put(TensorRole.ATTN_QKV_BIAS, "blk.%d.attn_qkv.bias");
        m.put(TensorRole.ATTN_OUT, "blk.%d.attn_output.weight");
        m.put(TensorRole.ATTN_OUT_BIAS, "blk.%d.attn_output.bias");
        m.put(TensorRole.FFN_NORM, "blk.%d.ffn_norm.weight");
        m.put(TensorRole.FFN_NORM_BIAS, "blk.%d.ffn_norm.bias");
        m.put(TensorRole.FFN_GATE, "blk.%d.ffn_gate.weight");
        m.put(TensorRole.FFN_UP, "blk.%d.ffn_up.weight");
        m.put(TensorRole.FFN_UP_BIAS, "blk.%d.ffn_up.bias");
        m.put(TensorRole.FFN_DOWN, "blk.%d.ffn_down.weight");
        m.put(TensorRole.FFN_DOWN_BIAS, "blk.%d.ffn_down.bias");
        m.put(TensorRole.OUTPUT_NORM, "output_norm.weight");
        m.put(TensorRole.OUTPUT_NORM_BIAS, "output_norm.bias");
        m.put(TensorRole.OUTPUT, "output.weight");
        m.put(TensorRole.ROPE_FREQS, "rope_freqs.weight");
        return m;
    }

    private static Map<TensorRole, String> hfLlamaTemplates() {
        Map<TensorRole, String> m = new EnumMap<>(TensorRole.class);
        m.put(TensorRole.TOKEN_EMBEDDING, "model.embed_tokens.weight");
        m.put(TensorRole.ATTN_NORM, "model.layers.%d.input_layernorm.weight");
        m.put(TensorRole.ATTN_Q, "model.layers.%d.self_attn.q_proj.weight");
        m.put(TensorRole.ATTN_K, "model.layers.%d.self_attn.k_proj.weight");
        m.put(TensorRole.ATTN_V, "model.layers.%d.self_attn.v_proj.weight");
        m.put(TensorRole.ATTN_Q_BIAS, "model.layers.%d.self_attn.q_proj.bias");
        m.put(TensorRole.ATTN_K_BIAS, "model.layers.%d.self_attn.k_proj.bias");
        m.put(TensorRole.ATTN_V_BIAS, "model.layers.%d.self_attn.v_proj.bias");
        m.put(TensorRole.ATTN_OUT, "model.layers.%d.self_attn.o_proj.weight");
        m.put(TensorRole.ATTN_OUT_BIAS, "model.layers.%d.self_attn.o_proj.bias");
        m.put(TensorRole.FFN_NORM, "model.layers.%d.post_attention_layernorm.weight");
        m.put(TensorRole.FFN_GATE, "model.layers.%d.mlp.gate_proj.weight");
        m.put(TensorRole.FFN_UP, "model.layers.%d.mlp.up_proj.weight");
        m.put(TensorRole.FFN_UP_BIAS, "model.layers.%d.mlp.up_proj.bias");
        m.put(TensorRole.FFN_DOWN, "model.layers.%d.mlp.down_proj.weight");
        m.put(TensorRole.FFN_DOWN_BIAS, "model.layers.%d.mlp.down_proj.bias");
        m.put(TensorRole.OUTPUT_NORM, "model.norm.weight");
        m.put(TensorRole.OUTPUT, "lm_head.weight");
        return m;
    }

    private static Map<TensorRole, String> hfGpt2Templates() {
        Map<TensorRole, String> m = new EnumMap<>(TensorRole.class);
        m.put(TensorRole.TOKEN_EMBEDDING, "wte.weight");
        m.put(TensorRole.POSITION_EMBEDDING, "wpe.weight");
        m.put(TensorRole.ATTN_NORM, "h.%d.ln_1.weight");
        m.put(TensorRole.ATTN_NORM_BIAS, "h.%d.ln_1.bias");
        m.put(TensorRole.ATTN_QKV, "h.%d.attn.c_attn.weight");
        m.put(TensorRole.ATTN_QKV_BIAS, "h.%d.attn.c_attn.bias");
        m.put(TensorRole.ATTN_OUT, "h.%d.attn.c_proj.weight");
        m.put(TensorRole.ATTN_OUT_BIAS, "h.%d.attn.c_proj.bias");
        m.put(TensorRole.FFN_NORM, "h.%d.ln_2.weight");
        m.put(TensorRole.FFN_NORM_BIAS, "h.%d.ln_2.bias");
        m.put(TensorRole.FFN_UP, "h.%d.mlp.c_fc.weight");
        m.put(TensorRole.FFN_UP_BIAS, "h.%d.mlp.c_fc.bias");
        m.put(TensorRole.FFN_DOWN, "h.%d.mlp.c_proj.weight");
        m.put(TensorRole.FFN_DOWN_BIAS, "h.%d.mlp.c_proj.bias");
        m.put(TensorRole.OUTPUT_NORM, "ln_f.weight");
        m.put(TensorRole.OUTPUT_NORM_BIAS, "ln_f.bias");
        m.put(TensorRole.OUTPUT, "lm_head.weight");
        return m;
    }
}
