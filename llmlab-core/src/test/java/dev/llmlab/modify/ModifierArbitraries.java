package dev.llmlab.modify;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.model.GenerationDefaults;
import dev.llmlab.quant.QuantTarget;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

import java.util.List;
import java.util.Set;

/** Random modifiers that stories260K (5 layers, dim 64, ffn 172, 512 tokens) can take. */
final class ModifierArbitraries {
    private ModifierArbitraries() {
    }

    static Arbitrary<ModelModifier> forStories(java.nio.file.Path loraAdapter) {
        Arbitrary<Set<Integer>> someLayers = Arbitraries.integers().between(0, 4).set().ofMinSize(0).ofMaxSize(4);
        Arbitrary<ModelModifier> drop = someLayers.map(SelectLayers::drop);
        Arbitrary<ModelModifier> keep = someLayers.filter(s -> !s.isEmpty()).map(SelectLayers::keep);
        Arbitrary<ModelModifier> quantize = Arbitraries.of(
                Quantize.matching(GgmlType.Q8_0, "blk\\.\\d+\\.attn_.*", 1),
                Quantize.matching(GgmlType.Q4_0, "blk\\.[0-2]\\.ffn_(gate|up)\\.weight", 1),
                Quantize.matching(GgmlType.F16, "output\\.weight", 1),
                Quantize.all(QuantTarget.Q8_0, 1));
        Arbitrary<ModelModifier> context = Arbitraries.integers().between(16, 8192).map(SetContextLength::new);
        Arbitrary<ModelModifier> rope = Arbitraries.of("none", "linear:2", "linear:8", "llama3:8", "llama3:4:1:4:64")
                .map(spec -> SetRopeScaling.parse(spec, 2048));
        Arbitrary<ModelModifier> defaults = Arbitraries.of(
                new GenerationDefaults(0.2f, null, null, 64, List.of("The end")),
                new GenerationDefaults(null, 0.9f, 40, null, List.of())).map(SetGenerationDefaults::new);
        Arbitrary<ModelModifier> tokens = Arbitraries.of(new AddTokens(List.of("<|user|>", "<|bot|>"), true),
                new AddTokens(List.of("dragon"), false), new SetPadToken("</s>"), new SetPadToken("<pad>"));
        Arbitrary<ModelModifier> lora = Arbitraries.of(1f, 0.5f).map(s -> new MergeLora(loraAdapter, s));
        return Arbitraries.oneOf(drop, keep, quantize, context, rope, defaults, tokens, lora);
    }
}
