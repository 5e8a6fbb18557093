package dev.llmlab.chat;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.error.ModelFormatException;
import dev.llmlab.gguf.GgufMetadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Finds a model's chat template: in a Hugging Face directory ({@code tokenizer_config.json}'s
 * {@code chat_template}, a string or a list of named templates, else {@code chat_template.jinja}) or in GGUF
 * metadata ({@code tokenizer.chat_template}), with the BOS and EOS texts the template refers to. A model with
 * none gets {@link #chatMl()}, as llama.cpp does.
 */
public final class ChatTemplates {
    /** llama.cpp's fallback format. */
    static final String CHATML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
            + "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|im_start|>assistant\\n' }}{% endif %}";
    public static final String FALLBACK_SOURCE = "ChatML fallback (the model has no chat template)";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SPECIAL_KEYS = List.of("bos_token", "eos_token", "unk_token", "pad_token");

    private ChatTemplates() {
    }

    /** ChatML ({@code <|im_start|>role\ncontent<|im_end|>}), for models without a template of their own. */
    public static ChatTemplate chatMl() {
        return new JinjaChatTemplate(CHATML, Map.of("bos_token", "", "eos_token", ""), FALLBACK_SOURCE,
                List.of("<|im_end|>", "<|im_start|>"), Clock.systemUTC());
    }

    /**
     * @throws ModelFormatException if tokenizer_config.json is not valid JSON or its template is mistyped
     */
    public static Optional<ChatTemplate> fromHfDirectory(Path dir) {
        Path configFile = dir.resolve("tokenizer_config.json");
        JsonNode config = Files.isRegularFile(configFile) ? readJson(configFile) : JSON.createObjectNode();
        Map<String, String> specials = new HashMap<>();
        for (String key : SPECIAL_KEYS) {
            JsonNode v = config.get(key);
            String text = v == null || v.isNull() ? null : v.isTextual() ? v.asText() : v.path("content").asText(null);
            specials.put(key, text == null ? "" : text);
        }
        JsonNode node = config.get("chat_template");
        String template = null;
        String source = configFile.toString();
        if (node != null && node.isTextual()) {
            template = node.asText();
        } else if (node != null && node.isArray()) {
            JsonNode chosen = node.isEmpty() ? null : node.get(0); // "default" if present, else the first
            for (JsonNode named : node) {
                if (named.path("name").asText("").equals("default")) {
                    chosen = named;
                    break;
                }
            }
            if (chosen == null || !chosen.path("template").isTextual()) {
                throw new ModelFormatException(configFile + ": chat_template is a list without a usable"
                        + " {\"name\", \"template\"} entry; download the file again");
            }
            template = chosen.get("template").asText();
            source = configFile + " (template '" + chosen.path("name").asText("?") + "')";
        } else if (node != null && !node.isNull()) {
            throw new ModelFormatException(configFile + ": chat_template must be a string or a list of named"
                    + " templates, got " + node.getNodeType() + "; download the file again");
        } else if (Files.isRegularFile(dir.resolve("chat_template.jinja"))) {
            try {
                template = Files.readString(dir.resolve("chat_template.jinja"));
                source = dir.resolve("chat_template.jinja").toString();
            } catch (IOException e) {
                throw new ModelFormatException(dir.resolve("chat_template.jinja") + ": cannot be read ("
                        + e.getMessage() + ")");
            }
        }
        if (template == null) {
            return Optional.empty();
        }
        return Optional.of(new JinjaChatTemplate(template, specials, source, List.of(), Clock.systemUTC()));
    }

    /** The template in {@code tokenizer.chat_template}, with BOS/EOS texts from the vocabulary. */
    public static Optional<ChatTemplate> fromGguf(GgufMetadata md) {
        Optional<String> template = md.optString("tokenizer.chat_template");
        if (template.isEmpty() || template.get().isBlank()) {
            return Optional.empty();
        }
        List<String> tokens = md.contains("tokenizer.ggml.tokens") ? md.stringArray("tokenizer.ggml.tokens")
                : List.of();
        Map<String, String> specials = new HashMap<>();
        specials.put("bos_token", tokenText(md, "tokenizer.ggml.bos_token_id", tokens));
        specials.put("eos_token", tokenText(md, "tokenizer.ggml.eos_token_id", tokens));
        return Optional.of(new JinjaChatTemplate(template.get(), specials, md.source() + " (tokenizer.chat_template)",
                List.of(), Clock.systemUTC()));
    }

    private static String tokenText(GgufMetadata md, String key, List<String> tokens) {
        OptionalLong id = md.optInteger(key);
        return id.isPresent() && id.getAsLong() >= 0 && id.getAsLong() < tokens.size()
                ? tokens.get((int) id.getAsLong()) : "";
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new ModelFormatException(file + ": not valid JSON (" + e.getOriginalMessage() + "); download the"
                    + " file again", e);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }
}
