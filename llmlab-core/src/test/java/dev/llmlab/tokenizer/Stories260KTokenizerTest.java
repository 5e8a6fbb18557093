package dev.llmlab.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The tokenizer of the default demo model against ../shared/fixtures/stories260K-greedy.json. */
class Stories260KTokenizerTest {
    private final SentencePieceTokenizer tokenizer = TestTokenizers.stories260K();

    record Entry(String prompt, int[] promptIds, String completion) {
    }

    static List<Entry> entries() throws IOException {
        JsonNode root = new ObjectMapper().readTree(Fixtures.sharedFile("fixtures/stories260K-greedy.json").toFile());
        List<Entry> entries = new ArrayList<>();
        for (JsonNode e : root) {
            int[] ids = new int[e.get("prompt_ids").size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = e.get("prompt_ids").get(i).asInt();
            }
            entries.add(new Entry(e.get("prompt").asText(), ids, e.get("completion").asText()));
        }
        return entries;
    }

    @Test
    void metadataIsReadAsLlamaCppReadsIt() {
        assertThat(tokenizer.vocabSize()).isEqualTo(512);
        assertThat(tokenizer.bosId()).hasValue(1);
        assertThat(tokenizer.eosId()).hasValue(2);
        assertThat(tokenizer.addBosByDefault()).isTrue();
        assertThat(tokenizer.isEndOfGeneration(2)).isTrue();
        assertThat(tokenizer.isEndOfGeneration(1)).isFalse();
        assertThat(tokenizer.piece(13)).isEqualTo("<0x0A>");
        assertThat(tokenizer.specialTokens().pad()).as("padding id 0xFFFFFFFF means none").isEqualTo(SpecialTokens.NONE);
    }

    @Test
    void promptsEncodeToTheFixtureIds() throws IOException {
        for (Entry e : entries()) {
            assertThat(tokenizer.encode(e.prompt(), false, false)).as(e.prompt()).containsExactly(e.promptIds());
            int[] withBos = tokenizer.encode(e.prompt(), true, false);
            assertThat(withBos[0]).isEqualTo(1);
            assertThat(withBos).hasSize(e.promptIds().length + 1);
        }
    }

    @Test
    void promptsAndCompletionsRoundTrip() throws IOException {
        for (Entry e : entries()) {
            assertThat(tokenizer.decode(e.promptIds())).isEqualTo(e.prompt());
            String story = e.prompt() + e.completion();
            assertThat(tokenizer.decode(tokenizer.encode(story, false, false))).isEqualTo(story);
        }
    }

    @Test
    void aDecoderPrimedWithThePromptStreamsTheCompletionWithItsLeadingSpace() throws IOException {
        for (Entry e : entries()) {
            int[] all = tokenizer.encode(e.prompt() + e.completion(), true, false);
            StreamingDecoder decoder = tokenizer.newStreamingDecoder();
            int promptLength = e.promptIds().length + 1;
            assertThat(Arrays.copyOfRange(all, 1, promptLength)).as("no merge across the prompt's end")
                    .containsExactly(e.promptIds());
            StringBuilder prompt = new StringBuilder();
            for (int i = 0; i < promptLength; i++) {
                prompt.append(decoder.next(all[i]));
            }
            StringBuilder completion = new StringBuilder();
            for (int i = promptLength; i < all.length; i++) {
                completion.append(decoder.next(all[i]));
            }
            completion.append(decoder.flush());
            assertThat(prompt.toString()).as("BOS first: no space is removed").isEqualTo(" " + e.prompt());
            assertThat(completion.toString()).isEqualTo(e.completion());
        }
    }
}
