package dev.llmlab.modify;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.kernels.ScalarKernels;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * LoRA merge on stories260K (llama: q/k rows permuted for interleaved RoPE) with a random adapter: merged weights
 * are W + s B A, and the merged model's logits (llmlab's engine) equal a reference forward of the unmerged model with
 * the adapter applied at run time.
 */
class MergeLoraTest extends OnStories {
    private static final int RANK = 4;
    private static final double ALPHA = 8;
    private static final float SCALE = 0.5f;
    private static final int HEAD_DIM = 8;

    @TempDir
    Path dir;

    /** HF module -> GGUF tensor for the modules the adapter covers (every llama matrix of every layer). */
    private static Map<String, String> modules() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int l = 0; l < 5; l++) {
            String hf = "model.layers." + l + ".";
            String g = "blk." + l + ".";
            m.put(hf + "self_attn.q_proj", g + "attn_q.weight");
            m.put(hf + "self_attn.k_proj", g + "attn_k.weight");
            m.put(hf + "self_attn.v_proj", g + "attn_v.weight");
            m.put(hf + "self_attn.o_proj", g + "attn_output.weight");
            m.put(hf + "mlp.gate_proj", g + "ffn_gate.weight");
            m.put(hf + "mlp.up_proj", g + "ffn_up.weight");
            m.put(hf + "mlp.down_proj", g + "ffn_down.weight");
        }
        return m;
    }

    /**
     * llama.cpp's convert permute for q/k, written independently: reshape(heads, 2, d/2, in).swapaxes(1, 2), so GGUF
     * row h*d + 2j + i holds HF row h*d + i*d/2 + j.
     */
    private static IntUnaryOperator hfRowOf(String gguf) {
        if (!gguf.endsWith("attn_q.weight") && !gguf.endsWith("attn_k.weight")) {
            return IntUnaryOperator.identity();
        }
        return g -> {
            int h = g / HEAD_DIM;
            int j = (g % HEAD_DIM) / 2;
            int i = g % 2;
            return h * HEAD_DIM + i * HEAD_DIM / 2 + j;
        };
    }

    private Map<String, PeftDirectory.Factors> writeAdapter(Path adapter, GgufModel base) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        modules().forEach((hf, gguf) -> {
            long[] s = base.tensor(gguf).orElseThrow().shape();
            shapes.put(hf, new int[]{(int) s[1], (int) s[0]});
        });
        return PeftDirectory.write(adapter, RANK, ALPHA, shapes, 11);
    }

    @Test
    void mergedWeightsAreWPlusScaledBA() {
        Path adapter = dir.resolve("adapter");
        Map<String, PeftDirectory.Factors> factors = writeAdapter(adapter, stories);
        GgufModel merged = new MergeLora(adapter, SCALE).apply(stories);
        double s = ALPHA / RANK * SCALE;
        modules().forEach((hf, gguf) -> {
            PeftDirectory.Factors f = factors.get(hf);
            float[] w = ModelDigest.floats(stories.tensor(gguf).orElseThrow());
            float[] m = ModelDigest.floats(merged.tensor(gguf).orElseThrow());
            IntUnaryOperator rowOf = hfRowOf(gguf);
            for (int r = 0; r < f.out(); r++) {
                for (int c = 0; c < f.in(); c++) {
                    double ba = 0;
                    for (int k = 0; k < RANK; k++) {
                        ba += f.b()[rowOf.applyAsInt(r) * RANK + k] * f.a()[k * f.in() + c];
                    }
                    float expected = (float) (w[r * f.in() + c] + s * ba);
                    assertThat(m[r * f.in() + c]).as("%s [%d, %d]", gguf, r, c)
                            .isCloseTo(expected, Offset.offset(1e-6f + Math.abs(expected) * 1e-6f));
                }
            }
        });
        assertThat(merged.tensor("token_embd.weight").orElseThrow().data())
                .isSameAs(stories.tensor("token_embd.weight").orElseThrow().data());
    }

    @Test
    void mergedLogitsEqualTheRunTimeAdapter() {
        Path adapter = dir.resolve("adapter");
        Map<String, PeftDirectory.Factors> factors = writeAdapter(adapter, stories);
        GgufModel merged = new MergeLora(adapter, SCALE).apply(stories);
        Map<String, ReferenceLlama.Lora> runTime = new HashMap<>();
        modules().forEach((hf, gguf) -> {
            PeftDirectory.Factors f = factors.get(hf);
            runTime.put(gguf, new ReferenceLlama.Lora(f.a(), f.b(), RANK, ALPHA / RANK * SCALE, hfRowOf(gguf)));
        });
        int[] tokens;
        float[] engineBase;
        float[] engineMerged;
        try (LocalModel base = LocalModel.load(stories, LoadOptions.defaults().withThreads(1).withContextLength(64));
             LocalModel m = LocalModel.load(merged, LoadOptions.defaults().withThreads(1).withContextLength(64))) {
            tokens = base.tokenizer().encode("Once upon a time there was a dog", true, false);
            engineBase = base.newSession().ingest(tokens).clone();
            engineMerged = m.newSession().ingest(tokens).clone();
        }
        float[] referenceBase = new ReferenceLlama(stories, Map.of()).logits(tokens);
        float[] referenceRunTime = new ReferenceLlama(stories, runTime).logits(tokens);
        // the reference forward is itself checked against the engine on the unmerged model
        assertThat(engineBase).containsExactly(referenceBase, Offset.offset(2e-3f));
        assertThat(engineMerged).containsExactly(referenceRunTime, Offset.offset(2e-3f));
        double change = 0;
        for (int i = 0; i < engineBase.length; i++) {
            change = Math.max(change, Math.abs(engineMerged[i] - engineBase[i]));
        }
        assertThat(change).as("the adapter changes the logits").isGreaterThan(0.1);
    }

    @Test
    void quantizedWeightsAreDecodedMergedAndReencodedToTheirType() {
        Path adapter = dir.resolve("adapter");
        writeAdapter(adapter, stories);
        GgufModel q8 = Quantize.matching(GgmlType.Q8_0, "blk\\.\\d+\\.attn_.*", 1).apply(stories);
        GgufModel merged = new MergeLora(adapter, SCALE).apply(q8);
        GgufModel mergedF32 = new MergeLora(adapter, SCALE).apply(stories);
        GgufModel.Tensor t = merged.tensor("blk.2.attn_q.weight").orElseThrow();
        assertThat(t.type()).isEqualTo(GgmlType.Q8_0);
        float[] decoded = new float[64 * 64];
        ScalarKernels.decode(GgmlType.Q8_0, t.data(), 0, decoded, 0, decoded.length);
        float[] exact = ModelDigest.floats(mergedF32.tensor("blk.2.attn_q.weight").orElseThrow());
        for (int i = 0; i < exact.length; i++) {
            assertThat(decoded[i]).isCloseTo(exact[i], Offset.offset(0.05f));
        }
    }

    @Test
    void adaptersThatDoNotFitAreRefusedByName() {
        Path adapter = dir.resolve("bad");
        PeftDirectory.write(adapter, RANK, ALPHA, Map.of("model.layers.7.self_attn.q_proj", new int[]{64, 64}), 1);
        assertThatThrownBy(() -> new MergeLora(adapter, 1).check(stories))
                .hasMessageContaining("'model.layers.7.self_attn.q_proj' is not a weight of this llama model");
        Path wrongShape = dir.resolve("shape");
        PeftDirectory.write(wrongShape, RANK, ALPHA, Map.of("model.layers.0.self_attn.k_proj", new int[]{64, 64}), 1);
        assertThatThrownBy(() -> new MergeLora(wrongShape, 1).check(stories))
                .hasMessageContaining("'model.layers.0.self_attn.k_proj' is 64 x 64 (out x in) but tensor"
                        + " 'blk.0.attn_k.weight' is");
        assertThatThrownBy(() -> new MergeLora(dir.resolve("none"), 1).check(stories))
                .hasMessageContaining("is not a PEFT LoRA directory");
    }
}
