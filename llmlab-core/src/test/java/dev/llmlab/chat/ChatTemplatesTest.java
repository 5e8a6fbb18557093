package dev.llmlab.chat;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.error.ModelFormatException;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.io.LoadMode;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real chat templates (copied from the models' tokenizer_config.json on the Hugging Face Hub) rendered for a
 * fixed conversation, compared with the text transformers' {@code apply_chat_template} produces for them, as
 * shown in the model cards and the transformers chat-templating documentation.
 */
class ChatTemplatesTest {
    private static final List<ChatMessage> CONVERSATION = List.of(
            ChatMessage.system("You are a friendly chatbot."),
            ChatMessage.user("Hello!"),
            ChatMessage.assistant("Hi there. How can I help?"),
            ChatMessage.user("Tell me a joke."));

    /** TinyLlama/TinyLlama-1.1B-Chat-v1.0 (the Zephyr format). */
    static final String TINYLLAMA = """
            {% for message in messages %}
            {% if message['role'] == 'user' %}
            {{ '<|user|>\\n' + message['content'] + eos_token }}
            {% elif message['role'] == 'system' %}
            {{ '<|system|>\\n' + message['content'] + eos_token }}
            {% elif message['role'] == 'assistant' %}
            {{ '<|assistant|>\\n'  + message['content'] + eos_token }}
            {% endif %}
            {% if loop.last and add_generation_prompt %}
            {{ '<|assistant|>' }}
            {% endif %}
            {% endfor %}""";

    /** meta-llama/Meta-Llama-3-8B-Instruct. */
    static final String LLAMA3 = "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content"
            + " = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim +"
            + " '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}"
            + "{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}"
            + "{% endif %}";

    /** Qwen/Qwen2.5-0.5B-Instruct (ChatML with a default system prompt and tool calls). */
    static final String QWEN25 = """
            {%- if tools %}
                {{- '<|im_start|>system\\n' }}
                {%- if messages[0]['role'] == 'system' %}
                    {{- messages[0]['content'] }}
                {%- else %}
                    {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}
                {%- endif %}
                {{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}
                {%- for tool in tools %}
                    {{- "\\n" }}
                    {{- tool | tojson }}
                {%- endfor %}
                {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}
            {%- else %}
                {%- if messages[0]['role'] == 'system' %}
                    {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
                {%- else %}
                    {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}
                {%- endif %}
            {%- endif %}
            {%- for message in messages %}
                {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
                    {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
                {%- elif message.role == "assistant" %}
                    {{- '<|im_start|>' + message.role }}
                    {%- if message.content %}
                        {{- '\\n' + message.content }}
                    {%- endif %}
                    {%- for tool_call in message.tool_calls %}
                        {%- if tool_call.function is defined %}
                            {%- set tool_call = tool_call.function %}
                        {%- endif %}
                        {{- '\\n<tool_call>\\n{"name": "' }}
                        {{- tool_call.name }}
                        {{- '", "arguments": ' }}
                        {{- tool_call.arguments | tojson }}
                        {{- '}\\n</tool_call>' }}
                    {%- endfor %}
                    {{- '<|im_end|>\\n' }}
                {%- elif message.role == "tool" %}
                    {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}
                        {{- '<|im_start|>user' }}
                    {%- endif %}
                    {{- '\\n<tool_response>\\n' }}
                    {{- message.content }}
                    {{- '\\n</tool_response>' }}
                    {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
                        {{- '<|im_end|>\\n' }}
                    {%- endif %}
                {%- endif %}
            {%- endfor %}
            {%- if add_generation_prompt %}
                {{- '<|im_start|>assistant\\n' }}
            {%- endif %}
            """;

    /** mistralai/Mistral-7B-Instruct-v0.1. */
    static final String MISTRAL = "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') !="
            + " (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate"
            + " user/assistant/user/assistant/...') }}{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' +"
            + " message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] +"
            + " eos_token + ' ' }}{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}"
            + "{% endif %}{% endfor %}";

    /** meta-llama/Llama-2-7b-chat-hf. */
    static final String LLAMA2 = "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set"
            + " system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}{% set"
            + " system_message = false %}{% endif %}{% for message in loop_messages %}{% if (message['role'] =="
            + " 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate"
            + " user/assistant/user/assistant/...') }}{% endif %}{% if loop.index0 == 0 and system_message != false"
            + " %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}{% else"
            + " %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}{{ bos_token +"
            + " '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' '  +"
            + " content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";

    @TempDir
    Path dir;

    private static ChatTemplate template(String source, String bos, String eos) {
        return new JinjaChatTemplate(source, Map.of("bos_token", bos, "eos_token", eos), "test", List.of(),
                Clock.systemUTC());
    }

    @Test
    void tinyLlamaZephyr() {
        // Format from the TinyLlama-1.1B-Chat-v1.0 model card: "<|system|>\n...</s>\n<|user|>\n...</s>\n<|assistant|>\n"
        assertThat(template(TINYLLAMA, "<s>", "</s>").render(CONVERSATION, true)).isEqualTo("""
                <|system|>
                You are a friendly chatbot.</s>
                <|user|>
                Hello!</s>
                <|assistant|>
                Hi there. How can I help?</s>
                <|user|>
                Tell me a joke.</s>
                <|assistant|>
                """);
        assertThat(template(TINYLLAMA, "<s>", "</s>").render(CONVERSATION, false)).endsWith("Tell me a joke.</s>\n");
    }

    @Test
    void llama3() {
        assertThat(template(LLAMA3, "<|begin_of_text|>", "<|eot_id|>").render(CONVERSATION, true)).isEqualTo(
                "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a friendly chatbot.<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nHello!<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\nHi there. How can I help?<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nTell me a joke.<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    @Test
    void qwen25ChatMl() {
        ChatTemplate t = template(QWEN25, "", "<|im_end|>");
        assertThat(t.render(CONVERSATION, true)).isEqualTo("""
                <|im_start|>system
                You are a friendly chatbot.<|im_end|>
                <|im_start|>user
                Hello!<|im_end|>
                <|im_start|>assistant
                Hi there. How can I help?<|im_end|>
                <|im_start|>user
                Tell me a joke.<|im_end|>
                <|im_start|>assistant
                """);
        // Without a system message the template supplies its default one (Qwen2.5 model card).
        assertThat(t.render(List.of(ChatMessage.user("Hi")), true)).isEqualTo("""
                <|im_start|>system
                You are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>
                <|im_start|>user
                Hi<|im_end|>
                <|im_start|>assistant
                """);
    }

    @Test
    void mistralInstructAndItsRoleCheck() {
        // The example of the Mistral-7B-Instruct-v0.1 model card.
        List<ChatMessage> chat = List.of(ChatMessage.user("What is your favourite condiment?"),
                ChatMessage.assistant("Well, I'm quite partial to a good squeeze of fresh lemon juice."),
                ChatMessage.user("Do you have mayonnaise recipes?"));
        assertThat(template(MISTRAL, "<s>", "</s>").render(chat, true)).isEqualTo(
                "<s>[INST] What is your favourite condiment? [/INST]Well, I'm quite partial to a good squeeze of"
                        + " fresh lemon juice.</s> [INST] Do you have mayonnaise recipes? [/INST]");
        assertThatThrownBy(() -> template(MISTRAL, "<s>", "</s>").render(CONVERSATION, true))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("Conversation roles must alternate user/assistant/user/assistant/...");
    }

    @Test
    void llama2WithSystemPrompt() {
        assertThat(template(LLAMA2, "<s>", "</s>").render(CONVERSATION, true)).isEqualTo(
                "<s>[INST] <<SYS>>\nYou are a friendly chatbot.\n<</SYS>>\n\nHello! [/INST] Hi there. How can I help?"
                        + " </s><s>[INST] Tell me a joke. [/INST]");
        assertThat(template(LLAMA2, "<s>", "</s>").render(List.of(ChatMessage.user("  Hi  ")), true))
                .isEqualTo("<s>[INST] Hi [/INST]");
    }

    @Test
    void namespaceStrftimeAndPythonStringMethods() {
        Clock clock = Clock.fixed(Instant.parse("2024-07-26T10:00:00Z"), ZoneOffset.UTC);
        String source = "{% set ns = namespace(system=false) %}{% for m in messages %}{% if m.role == 'system' %}"
                + "{% set ns.system = true %}{% endif %}{% endfor %}{{ ns.system }}|{{ strftime_now('%d %b %Y') }}|"
                + "{{ messages[1].content.startswith('Hel') }}|{{ messages[1].content.upper() }}";
        assertThat(new JinjaChatTemplate(source, Map.of(), "test", List.of(), clock).render(CONVERSATION, false))
                .isEqualTo("true|26 Jul 2024|true|HELLO!");
    }

    @Test
    void chatMlFallbackIsLlamaCppsFormat() {
        ChatTemplate t = ChatTemplates.chatMl();
        assertThat(t.render(List.of(ChatMessage.user("Hi")), true))
                .isEqualTo("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
        assertThat(t.source()).contains("fallback");
        assertThat(t.stopStrings()).contains("<|im_end|>");
    }

    @Test
    void fromHfDirectoryReadsStringOrNamedTemplatesAndTokenObjects() throws IOException {
        assertThat(ChatTemplates.fromHfDirectory(dir)).isEmpty();
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"bos_token": {"content": "<s>", "lstrip": false}, "eos_token": "</s>",
                 "chat_template": [{"name": "tool_use", "template": "tools"},
                                   {"name": "default", "template": "{{ bos_token }}{{ messages[0].content }}{{ eos_token }}"}]}
                """);
        ChatTemplate t = ChatTemplates.fromHfDirectory(dir).orElseThrow();
        assertThat(t.render(List.of(ChatMessage.user("x")), true)).isEqualTo("<s>x</s>");
        assertThat(t.source()).contains("tokenizer_config.json").contains("default");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": 3}");
        assertThatThrownBy(() -> ChatTemplates.fromHfDirectory(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("chat_template");
    }

    @Test
    void fromGgufReadsTheTemplateOfTheQwen2AndPhi3Vocabularies() {
        try (GgufFile f = GgufFile.open(Fixtures.sharedFile("fixtures/vocab/ggml-vocab-qwen2.gguf"), LoadMode.READ)) {
            ChatTemplate t = ChatTemplates.fromGguf(f.metadata()).orElseThrow();
            assertThat(t.render(List.of(ChatMessage.user("Hi")), true)).isEqualTo(
                    "<|im_start|>system\nYou are a helpful assistant<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                            + "<|im_start|>assistant\n");
        }
        try (GgufFile f = GgufFile.open(Fixtures.sharedFile("fixtures/vocab/ggml-vocab-phi-3.gguf"), LoadMode.READ)) {
            ChatTemplate t = ChatTemplates.fromGguf(f.metadata()).orElseThrow();
            assertThat(t.render(List.of(ChatMessage.user("Hi")), true)).isEqualTo("<s><|user|>\nHi<|end|>\n<|assistant|>\n");
        }
        try (GgufFile f = GgufFile.open(Fixtures.sharedFile("models/stories260K.gguf"), LoadMode.READ)) {
            assertThat(ChatTemplates.fromGguf(f.metadata())).isEmpty();
        }
    }
}
