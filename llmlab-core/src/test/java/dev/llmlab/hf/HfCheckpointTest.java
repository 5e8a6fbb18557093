package dev.llmlab.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.ArchitectureRegistry;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LoadedTransformer;
import dev.llmlab.model.ModelConfig;
import dev.llmlab.model.RopeScaling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HfCheckpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HfConfig config(String json) throws IOException {
        Files.writeString(dir.resolve("config.json"), json);
        return HfConfig.read(dir);
    }

    @Test
    void readsLlama3RopeScalingAndMistralSlidingWindow() throws IOException {
        ModelConfig llama3 = config("""
                {"architectures":["LlamaForCausalLM"],"vocab_size":128256,"hidden_size":64,"intermediate_size":128,
                 "num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2,"max_position_embeddings":131072,
                 "rms_norm_eps":1e-5,"rope_theta":500000.0,"rope_scaling":{"factor":8.0,"low_freq_factor":1.0,
                 "high_freq_factor":4.0,"original_max_position_embeddings":8192,"rope_type":"llama3"}}""").modelConfig();
        assertThat(llama3.ropeScaling()).isEqualTo(new RopeScaling.Llama3(8f, 1f, 4f, 8192));
        assertThat(llama3.ropeTheta()).isEqualTo(500_000f);
        assertThat(llama3.headCountKv()).isEqualTo(2);
        ModelConfig mistral = config("""
                {"architectures":["MistralForCausalLM"],"vocab_size":32000,"hidden_size":64,"intermediate_size":128,
                 "num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":1,"max_position_embeddings":32768,
                 "rms_norm_eps":1e-5,"sliding_window":4096}""").modelConfig();
        assertThat(mistral.slidingWindow()).isEqualTo(4096);
        assertThat(mistral.architecture()).isEqualTo("mistral");
        ModelConfig qwen = config("""
                {"architectures":["Qwen2ForCausalLM"],"vocab_size":1000,"hidden_size":64,"intermediate_size":128,
                 "num_hidden_layers":2,"num_attention_heads":4,"max_position_embeddings":4096,
                 "sliding_window":4096,"use_sliding_window":false,"rope_scaling":{"type":"linear","factor":2.0}}""")
                .modelConfig();
        assertThat(qwen.slidingWindow()).isZero();
        assertThat(qwen.ropeScaling()).isEqualTo(new RopeScaling.Linear(2f));
    }

    @Test
    void refusesUnknownClassesAndScalings() throws IOException {
        assertThatThrownBy(() -> config("{\"architectures\":[\"BertModel\"]}").modelConfig())
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("BertModel")
                .hasMessageContaining("GPT2LMHeadModel");
        assertThatThrownBy(() -> config("""
                {"architectures":["LlamaForCausalLM"],"vocab_size":10,"hidden_size":64,"intermediate_size":128,
                 "num_hidden_layers":2,"num_attention_heads":4,"max_position_embeddings":64,
                 "rope_scaling":{"rope_type":"yarn","factor":4.0}}""").modelConfig())
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("yarn");
        assertThatThrownBy(() -> config("{\"architectures\":[\"LlamaForCausalLM\"],\"vocab_size\":10}").modelConfig())
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("hidden_size");
    }

    @Test
    void gpt2WithTheTransformerPrefixLoadsTheSameModel() throws IOException {
        HfFixture fixture = HfFixture.load("tiny-gpt2");
        Files.copy(fixture.dir().resolve("config.json"), dir.resolve("config.json"));
        rewriteNames(fixture.dir().resolve("model.safetensors"), dir.resolve("model.safetensors"), "transformer.");
        HfFixture.Case c = fixture.cases().getFirst();
        LoadOptions options = LoadOptions.defaults().withThreads(2);
        try (LoadedTransformer m = LoadedTransformer.load(
                HfCheckpoint.open(dir, LoadMode.READ, ArchitectureRegistry.defaults()), options)) {
            float[] logits = m.transformer().newSession(16).ingest(c.inputIds());
            assertThat(HfFixture.maxAbsDiff(logits, c.logits())).isLessThan(1e-3f);
        }
    }

    @Test
    void aShapeThatDisagreesWithTheConfigNamesTheTensor() throws IOException {
        HfFixture fixture = HfFixture.load("tiny-llama");
        ObjectNode config = (ObjectNode) JSON.readTree(fixture.dir().resolve("config.json").toFile());
        config.put("intermediate_size", 128);
        Files.writeString(dir.resolve("config.json"), config.toString());
        Files.createSymbolicLink(dir.resolve("model.safetensors"), fixture.dir().resolve("model.safetensors"));
        assertThatThrownBy(() -> LoadedTransformer.load(
                HfCheckpoint.open(dir, LoadMode.READ, ArchitectureRegistry.defaults()), LoadOptions.defaults()))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model.layers.0.mlp.gate_proj.weight").hasMessageContaining("[64, 128]");
    }

    /** Copies a safetensors file with every tensor name prefixed (same data). */
    private static void rewriteNames(Path from, Path to, String prefix) throws IOException {
        byte[] bytes = Files.readAllBytes(from);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ObjectNode header = (ObjectNode) JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        ObjectNode renamed = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = header.fields(); it.hasNext(); ) {
            var e = it.next();
            renamed.set(e.getKey().equals("__metadata__") ? e.getKey() : prefix + e.getKey(), e.getValue());
        }
        byte[] newHeader = renamed.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + newHeader.length + bytes.length - 8 - (int) headerLength)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(newHeader.length).put(newHeader).put(bytes, 8 + (int) headerLength, bytes.length - 8 - (int) headerLength);
        Files.write(to, out.array());
    }
}
