package dev.llmlab.modify;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.error.LlmlabException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.model.Session;
import dev.llmlab.quant.QuantTarget;
import dev.llmlab.testing.Fixtures;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Properties every modifier keeps, on stories260K (5 layers, F32): the input's weights and metadata are unchanged
 * (checksums before and after), composing equals applying in turn, untouched tensors are shared, dropping no layers
 * is the identity.
 */
class ModifierPropertiesTest {
    private static GgufFile file;
    private static GgufModel stories;
    private static ModelDigest storiesDigest;
    private static Path adapterDir;

    @BeforeContainer
    static void open() {
        file = GgufFile.open(Fixtures.sharedFile("models/stories260K.gguf"), LoadMode.READ);
        stories = GgufModel.of(file);
        storiesDigest = ModelDigest.of(stories);
        try {
            adapterDir = java.nio.file.Files.createTempDirectory("llmlab-lora");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        PeftDirectory.write(adapterDir, 2, 4, java.util.Map.of("model.layers.1.self_attn.q_proj", new int[]{64, 64},
                "model.layers.3.mlp.down_proj", new int[]{64, 172}), 3);
    }

    @AfterContainer
    static void close() throws java.io.IOException {
        file.close();
        try (var files = java.nio.file.Files.list(adapterDir)) {
            for (Path p : files.toList()) {
                java.nio.file.Files.delete(p);
            }
        }
        java.nio.file.Files.delete(adapterDir);
    }

    @Provide
    static Arbitrary<ModelModifier> modifiers() {
        return ModifierArbitraries.forStories(adapterDir);
    }

    @Property(tries = 40)
    void theInputIsNeverChanged(@ForAll("modifiers") ModelModifier modifier) {
        GgufModel out = modifier.apply(stories);
        assertThat(ModelDigest.of(stories)).isEqualTo(storiesDigest);
        assertThat(out).isNotSameAs(stories);
    }

    @Property(tries = 25)
    void composingEqualsApplyingInTurn(@ForAll("modifiers") ModelModifier a, @ForAll("modifiers") ModelModifier b) {
        GgufModel first = a.apply(stories);
        GgufModel inTurn;
        try {
            inTurn = b.apply(first);
        } catch (LlmlabException e) {
            // b may not fit a's result (a layer dropped by a); the composition must refuse it the same way
            assertThatThrownBy(() -> a.andThen(b).apply(stories)).isInstanceOf(e.getClass())
                    .hasMessage(e.getMessage());
            return;
        }
        GgufModel composed = a.andThen(b).apply(stories);
        assertThat(ModelDigest.of(composed)).isEqualTo(ModelDigest.of(inTurn));
        assertThat(ModelDigest.of(stories)).isEqualTo(storiesDigest);
    }

    @Property(tries = 25)
    void tensorsWithTheSameNameAndTypeShareTheInputsMemory(@ForAll("modifiers") ModelModifier modifier) {
        GgufModel out = modifier.apply(stories);
        Set<MemorySegment> inputSegments = new HashSet<>();
        stories.tensors().forEach(t -> inputSegments.add(t.data()));
        long shared = out.tensors().stream().filter(t -> inputSegments.contains(t.data())).count();
        long copiedUnchanged = out.tensors().stream()
                .filter(t -> !inputSegments.contains(t.data()))
                .filter(t -> stories.tensor(t.name()).filter(s -> s.type() == t.type()
                        && MemorySegment.mismatch(s.data(), 0, s.data().byteSize(), t.data(), 0,
                        t.data().byteSize()) == -1).isPresent())
                .count();
        assertThat(copiedUnchanged).as("tensors copied although unchanged by %s", modifier.describe()).isZero();
        assertThat(shared).isPositive();
    }

    @Example
    void droppingNoLayersIsTheIdentity() {
        GgufModel same = SelectLayers.drop(Set.of()).apply(stories);
        assertThat(ModelDigest.of(same)).isEqualTo(storiesDigest);
        for (int i = 0; i < same.tensors().size(); i++) {
            assertThat(same.tensors().get(i).data()).isSameAs(stories.tensors().get(i).data());
        }
        float[] before = logits(stories);
        float[] after = logits(same);
        assertThat(after).containsExactly(before, org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Example
    void droppingALayerRenumbersTheRest() {
        GgufModel out = SelectLayers.drop(Set.of(1, 3)).apply(stories);
        assertThat(out.metadata().get("llama.block_count").value()).isEqualTo(3L);
        assertThat(out.tensor("blk.1.attn_q.weight").orElseThrow().data())
                .isSameAs(stories.tensor("blk.2.attn_q.weight").orElseThrow().data());
        assertThat(out.tensor("blk.2.ffn_down.weight").orElseThrow().data())
                .isSameAs(stories.tensor("blk.4.ffn_down.weight").orElseThrow().data());
        assertThat(out.tensor("blk.3.attn_q.weight")).isEmpty();
        assertThat(SelectLayers.keep(Set.of(0, 2, 4)).apply(stories).tensors()).isEqualTo(out.tensors());
        assertThat(logits(out)).isNotEqualTo(logits(stories));
    }

    @Example
    void quantizingByPatternTouchesOnlyTheMatchingTensors() {
        GgufModel out = Quantize.matching(GgmlType.Q8_0, "blk\\.\\d+\\.attn_[qk]\\.weight", 1).apply(stories);
        for (GgufModel.Tensor t : out.tensors()) {
            boolean matched = t.name().matches("blk\\.\\d+\\.attn_[qk]\\.weight");
            assertThat(t.type()).as(t.name()).isEqualTo(matched ? GgmlType.Q8_0 : GgmlType.F32);
            if (!matched) {
                assertThat(t.data()).isSameAs(stories.tensor(t.name()).orElseThrow().data());
            }
        }
        assertThat(Quantize.all(QuantTarget.Q8_0, 1).apply(stories).tensor("blk.0.attn_q.weight").orElseThrow()
                .data().byteSize()).isEqualTo(out.tensor("blk.0.attn_q.weight").orElseThrow().data().byteSize());
    }

    @Example
    void modelsThatCannotTakeAModifierAreRefusedWithTheTensorOrKeyAndTheConstraint() {
        assertThatThrownBy(() -> SelectLayers.drop(Set.of(5)).check(stories))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("layer 5 is out of range").hasMessageContaining("'llama.block_count' = 5");
        assertThatThrownBy(() -> SelectLayers.drop(Set.of(0, 1, 2, 3, 4)).apply(stories))
                .hasMessageContaining("leaves no layer");
        assertThatThrownBy(() -> Quantize.matching(GgmlType.Q8_0, "blk\\.0\\.ffn_down\\.weight", 1).apply(stories))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'blk.0.ffn_down.weight' has rows of 172")
                .hasMessageContaining("Q8_0 block (32)");
        assertThatThrownBy(() -> Quantize.matching(GgmlType.Q8_0, "no_such_tensor", 1).check(stories))
                .hasMessageContaining("no quantizable tensor matches 'no_such_tensor'");
        assertThatThrownBy(() -> SelectLayers.parseList("1,x")).hasMessageContaining("'x' is not a layer index");
        assertThat(SelectLayers.parseList("0, 2-4")).containsExactly(0, 2, 3, 4);
    }

    static float[] logits(GgufModel model) {
        try (LocalModel m = LocalModel.load(model, LoadOptions.defaults().withThreads(1).withContextLength(64))) {
            Session s = m.newSession();
            int[] tokens = m.tokenizer().encode("Once upon a time there was", true, false);
            return s.ingest(tokens).clone();
        }
    }

}
