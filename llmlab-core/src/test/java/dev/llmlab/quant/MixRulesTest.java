package dev.llmlab.quant;

import dev.llmlab.gguf.GgmlType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static dev.llmlab.gguf.GgmlType.Q3_K;
import static dev.llmlab.gguf.GgmlType.Q4_K;
import static dev.llmlab.gguf.GgmlType.Q5_K;
import static dev.llmlab.gguf.GgmlType.Q6_K;
import static dev.llmlab.gguf.GgmlType.Q8_0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mixes against llama.cpp's llama_tensor_get_type, worked out by hand from its source for a few layer counts
 * (use_more_bits(i, n) = i < n/8 || i >= 7n/8 || (i - n/8) % 3 == 2).
 */
class MixRulesTest {

    @Test
    void layersGettingMoreBitsInQ4KM() {
        // n = 32: n/8 = 4, 7n/8 = 28
        assertThat(moreBitsLayers(32)).containsExactly(0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31);
        // n = 22 (TinyLlama-1.1B): n/8 = 2, 7n/8 = 19
        assertThat(moreBitsLayers(22)).containsExactly(0, 1, 4, 7, 10, 13, 16, 19, 20, 21);
        // n = 2 (the fixtures' tiny-llama-256): n/8 = 0, 7n/8 = 1
        assertThat(moreBitsLayers(2)).containsExactly(1);
        // n = 5 (stories260K): n/8 = 0, 7n/8 = 4; (i - 0) % 3 == 2 -> 2
        assertThat(moreBitsLayers(5)).containsExactly(2, 4);
    }

    @Test
    void q4KMGivesTheOutputAttnVAndFfnDownMoreBits() {
        int n = 22;
        for (int l = 0; l < n; l++) {
            GgmlType more = Set.of(0, 1, 4, 7, 10, 13, 16, 19, 20, 21).contains(l) ? Q6_K : Q4_K;
            assertThat(type(QuantTarget.Q4_K_M, "blk." + l + ".attn_v.weight", l, n)).isEqualTo(more);
            assertThat(type(QuantTarget.Q4_K_M, "blk." + l + ".ffn_down.weight", l, n)).isEqualTo(more);
            for (String other : List.of("attn_q", "attn_k", "attn_output", "ffn_gate", "ffn_up")) {
                assertThat(type(QuantTarget.Q4_K_M, "blk." + l + "." + other + ".weight", l, n)).isEqualTo(Q4_K);
            }
        }
        assertThat(type(QuantTarget.Q4_K_M, "output.weight", -1, n)).isEqualTo(Q6_K);
        assertThat(type(QuantTarget.Q4_K_M, "token_embd.weight", -1, n)).isEqualTo(Q4_K);
        // tied embeddings: the embedding is the output head
        assertThat(MixRules.typeFor(QuantTarget.Q4_K_M, "token_embd.weight", -1, n, true, 2048)).isEqualTo(Q6_K);
        // an output head whose rows do not fit 256-blocks
        assertThat(MixRules.typeFor(QuantTarget.Q4_K_M, "output.weight", -1, n, false, 896 + 32)).isEqualTo(Q8_0);
    }

    @Test
    void q5KMIsQ4KMWithQ5KAsBase() {
        int n = 32;
        assertThat(type(QuantTarget.Q5_K_M, "blk.5.attn_v.weight", 5, n)).isEqualTo(Q5_K);
        assertThat(type(QuantTarget.Q5_K_M, "blk.6.attn_v.weight", 6, n)).isEqualTo(Q6_K);
        assertThat(type(QuantTarget.Q5_K_M, "blk.31.ffn_down.weight", 31, n)).isEqualTo(Q6_K);
        assertThat(type(QuantTarget.Q5_K_M, "blk.7.ffn_down.weight", 7, n)).isEqualTo(Q5_K);
        assertThat(type(QuantTarget.Q5_K_M, "blk.7.attn_output.weight", 7, n)).isEqualTo(Q5_K);
        assertThat(type(QuantTarget.Q5_K_M, "output.weight", -1, n)).isEqualTo(Q6_K);
    }

    @Test
    void q3KMRaisesAttnVFfnDownAndAttnOutput() {
        int n = 32; // n/16 = 2
        assertThat(type(QuantTarget.Q3_K_M, "blk.0.attn_v.weight", 0, n)).isEqualTo(Q5_K);
        assertThat(type(QuantTarget.Q3_K_M, "blk.1.attn_v.weight", 1, n)).isEqualTo(Q5_K);
        assertThat(type(QuantTarget.Q3_K_M, "blk.2.attn_v.weight", 2, n)).isEqualTo(Q4_K);
        assertThat(type(QuantTarget.Q3_K_M, "blk.1.ffn_down.weight", 1, n)).isEqualTo(Q5_K);
        assertThat(type(QuantTarget.Q3_K_M, "blk.2.ffn_down.weight", 2, n)).isEqualTo(Q4_K);
        assertThat(type(QuantTarget.Q3_K_M, "blk.9.attn_output.weight", 9, n)).isEqualTo(Q4_K);
        assertThat(type(QuantTarget.Q3_K_M, "blk.9.attn_q.weight", 9, n)).isEqualTo(Q3_K);
        assertThat(type(QuantTarget.Q3_K_M, "blk.9.ffn_up.weight", 9, n)).isEqualTo(Q3_K);
        assertThat(type(QuantTarget.Q3_K_M, "token_embd.weight", -1, n)).isEqualTo(Q3_K);
        assertThat(type(QuantTarget.Q3_K_M, "output.weight", -1, n)).isEqualTo(Q6_K);
        // 2 layers: n/16 = 0, so no ffn_down gets Q5_K
        assertThat(type(QuantTarget.Q3_K_M, "blk.0.ffn_down.weight", 0, 2)).isEqualTo(Q4_K);
    }

    @Test
    void plainTargetsArePure() {
        for (String name : List.of("output.weight", "token_embd.weight", "blk.0.attn_v.weight", "blk.1.ffn_down.weight")) {
            assertThat(type(QuantTarget.Q4_0, name, 0, 2)).isEqualTo(GgmlType.Q4_0);
            assertThat(type(QuantTarget.Q6_K, name, 0, 2)).isEqualTo(Q6_K);
        }
    }

    @Test
    void fallbacksFollowLlamaCppThenF16() {
        assertThat(Fallbacks.compatible(Q4_K, 64)).isEqualTo(GgmlType.Q5_0);
        assertThat(Fallbacks.compatible(Q5_K, 96)).isEqualTo(GgmlType.Q5_1);
        assertThat(Fallbacks.compatible(Q6_K, 64)).isEqualTo(GgmlType.Q8_0);
        assertThat(Fallbacks.compatible(Q3_K, 64)).isEqualTo(GgmlType.Q4_0);
        assertThat(Fallbacks.compatible(GgmlType.Q2_K, 64)).isEqualTo(GgmlType.Q4_0);
        assertThat(Fallbacks.compatible(GgmlType.IQ4_XS, 64)).isEqualTo(GgmlType.IQ4_NL);
        assertThat(Fallbacks.compatible(Q4_K, 172)).isEqualTo(GgmlType.F16);
        assertThat(Fallbacks.compatible(GgmlType.Q8_0, 172)).isEqualTo(GgmlType.F16);
        assertThat(Fallbacks.compatible(Q4_K, 512)).isEqualTo(Q4_K);
    }

    private static GgmlType type(QuantTarget target, String name, int layer, int layers) {
        return MixRules.typeFor(target, name, layer, layers, false, 2048);
    }

    private static Set<Integer> moreBitsLayers(int n) {
        Set<Integer> s = new TreeSet<>();
        for (int l = 0; l < n; l++) {
            if (MixRules.useMoreBits(l, n)) {
                s.add(l);
            }
        }
        return s;
    }
}
