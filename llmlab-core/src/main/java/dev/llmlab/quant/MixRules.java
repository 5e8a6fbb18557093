package dev.llmlab.quant;

import dev.llmlab.gguf.GgmlType;

/**
 * Which tensors of a mix get more bits: llama.cpp's {@code llama_tensor_get_type} for dense (non-MoE) models,
 * the rules every published Q3_K_M / Q4_K_M / Q5_K_M file follows.
 *
 * <table>
 * <tr><th>tensor</th><th>Q3_K_M</th><th>Q4_K_M</th><th>Q5_K_M</th></tr>
 * <tr><td>output.weight (token_embd when tied)</td><td>Q6_K</td><td>Q6_K</td><td>Q6_K</td></tr>
 * <tr><td>attn_v</td><td>Q5_K in layers 0-1, else Q4_K</td><td>Q6_K where {@link #useMoreBits}, else Q4_K</td>
 *     <td>Q6_K where {@link #useMoreBits}, else Q5_K</td></tr>
 * <tr><td>ffn_down</td><td>Q5_K in the first n/16 layers, else Q4_K</td><td>as attn_v</td><td>as attn_v</td></tr>
 * <tr><td>attn_output</td><td>Q4_K</td><td>Q4_K</td><td>Q5_K</td></tr>
 * <tr><td>attn_qkv (fused)</td><td>Q4_K</td><td>Q5_K</td><td>Q6_K</td></tr>
 * <tr><td>everything else</td><td>Q3_K</td><td>Q4_K</td><td>Q5_K</td></tr>
 * </table>
 *
 * Rows that do not fit the chosen type's block are handled afterwards by {@link Fallbacks}.
 */
public final class MixRules {

    private MixRules() {
    }

    /** What a tensor is, for choosing its type. */
    public enum Category {
        TOKEN_EMBEDDING, OUTPUT, ATTN_QKV, ATTN_V, ATTN_OUTPUT, FFN_DOWN, OTHER;

        /** llama.cpp's tensor_get_category, restricted to the categories the mixes above distinguish. */
        public static Category of(String tensorName) {
            if (tensorName.equals("output.weight")) {
                return OUTPUT;
            }
            if (tensorName.equals("token_embd.weight")) {
                return TOKEN_EMBEDDING;
            }
            if (tensorName.contains("attn_qkv.weight")) {
                return ATTN_QKV;
            }
            if (tensorName.contains("attn_v.weight")) {
                return ATTN_V;
            }
            if (tensorName.contains("attn_output.weight")) {
                return ATTN_OUTPUT;
            }
            if (tensorName.contains("ffn_down")) {
                return FFN_DOWN;
            }
            return OTHER;
        }
    }

    /**
     * The type of one quantizable weight in {@code target}.
     *
     * @param layer          the tensor's block index (from {@code blk.N.}), -1 outside the blocks
     * @param layers         the number of blocks
     * @param tiedEmbeddings the model has no {@code output.weight}: the token embedding is also the output head
     * @param rowLength      the tensor's row length (for the output head: Q8_0 when rows do not fit 256-blocks)
     */
    public static GgmlType typeFor(QuantTarget target, String tensorName, int layer, int layers,
                                   boolean tiedEmbeddings, long rowLength) {
        GgmlType base = target.baseType();
        if (!target.isMix()) {
            return base;
        }
        Category category = Category.of(tensorName);
        if (category == Category.OUTPUT || (tiedEmbeddings && category == Category.TOKEN_EMBEDDING)) {
            return rowLength % base.blockSize() != 0 ? GgmlType.Q8_0 : GgmlType.Q6_K;
        }
        return switch (target) {
            case Q3_K_M -> switch (category) {
                case ATTN_V -> layer < 2 ? GgmlType.Q5_K : GgmlType.Q4_K;
                case FFN_DOWN -> layer < layers / 16 ? GgmlType.Q5_K : GgmlType.Q4_K;
                case ATTN_OUTPUT, ATTN_QKV -> GgmlType.Q4_K;
                default -> base;
            };
            case Q4_K_M -> switch (category) {
                case ATTN_V, FFN_DOWN -> useMoreBits(layer, layers) ? GgmlType.Q6_K : base;
                case ATTN_QKV -> GgmlType.Q5_K;
                default -> base;
            };
            case Q5_K_M -> switch (category) {
                case ATTN_V, FFN_DOWN -> useMoreBits(layer, layers) ? GgmlType.Q6_K : base;
                case ATTN_QKV -> GgmlType.Q6_K;
                default -> base;
            };
            default -> throw new IllegalStateException("no rules for mix " + target);
        };
    }

    /**
     * llama.cpp's use_more_bits: the first and last eighth of the layers, and every third layer in between.
     */
    public static boolean useMoreBits(int layer, int layers) {
        return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
    }
}
