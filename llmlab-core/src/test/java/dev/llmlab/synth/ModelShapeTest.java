package dev.llmlab.synth;

import dev.llmlab.error.InvalidRequestException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelShapeTest {
    @Test
    void presetsMatchThePublishedModels() {
        assertThat(ModelShape.presetNames())
                .containsExactly("tinyllama-1.1b", "qwen2.5-0.5b", "gpt2-124m", "stories260k", "tiny");
        ModelShape tl = ModelShape.preset("tinyllama-1.1b");
        assertThat(tl.architecture()).isEqualTo(SynthArchitecture.LLAMA);
        assertThat(tl.headSize()).isEqualTo(64);
        assertThat(tl.kvLength()).isEqualTo(256);
        assertThat(tl.tiedEmbeddings()).isFalse();
        ModelShape qwen = ModelShape.preset("qwen2.5-0.5b");
        assertThat(qwen.architecture().ggufName()).isEqualTo("qwen2");
        assertThat(qwen.ropeFreqBase()).isEqualTo(1e6f);
        assertThat(qwen.normEpsilon()).isEqualTo(1e-6f);
        assertThat(qwen.tiedEmbeddings()).isTrue();
        assertThat(qwen.kvLength()).isEqualTo(128);
        assertThat(ModelShape.preset("gpt2-124m").contextLength()).isEqualTo(1024);
    }

    @Test
    void anUnknownPresetListsTheValidOnes() {
        assertThatThrownBy(() -> ModelShape.preset("llama-70b")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("llama-70b").hasMessageContaining("tinyllama-1.1b, qwen2.5-0.5b, gpt2-124m");
    }

    @Test
    void parsesDimensionsOverTheTinyDefaults() {
        ModelShape s = ModelShape.parseDims("d=256, layers=4,heads=8,kv=2,ffn=688,vocab=1000,ctx=512,theta=5e5");
        assertThat(s).isEqualTo(new ModelShape("custom", SynthArchitecture.LLAMA, 1000, 256, 4, 8, 2, 688, 512,
                5e5f, 1e-5f, false));
        assertThat(ModelShape.parseDims("heads=8").headCountKv()).isEqualTo(8);
        assertThat(ModelShape.parseDims("").withName("tiny")).isEqualTo(ModelShape.preset("tiny"));
        assertThat(ModelShape.parseDims("arch=gpt2").headCountKv()).isEqualTo(4);
        assertThat(ModelShape.parseDims("arch=qwen2,tied=false").tiedEmbeddings()).isFalse();
    }

    @Test
    void rejectsBadDimensionsWithTheReason() {
        assertThatThrownBy(() -> ModelShape.parseDims("depth=3")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("depth=3").hasMessageContaining("layers");
        assertThatThrownBy(() -> ModelShape.parseDims("d=abc")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("not an integer");
        assertThatThrownBy(() -> ModelShape.parseDims("d=100,heads=3")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("not a multiple of headCount");
        assertThatThrownBy(() -> ModelShape.parseDims("heads=4,kv=3")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("headCountKv");
        assertThatThrownBy(() -> ModelShape.parseDims("vocab=100")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("at least 259");
        assertThatThrownBy(() -> ModelShape.parseDims("arch=gpt2,kv=2")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("GPT-2");
        assertThatThrownBy(() -> ModelShape.parseDims("arch=mamba")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("llama, qwen2, gpt2");
        assertThatThrownBy(() -> ModelShape.parseDims("layers=0")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("blockCount must be positive");
    }
}
