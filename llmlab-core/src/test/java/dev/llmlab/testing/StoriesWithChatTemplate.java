package dev.llmlab.testing;

import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufTensorInfo;
import dev.llmlab.gguf.GgufValue;
import dev.llmlab.gguf.GgufWriter;
import dev.llmlab.gguf.TensorSource;
import dev.llmlab.io.LoadMode;

import java.nio.file.Path;

/** stories260K.gguf copied with a {@code tokenizer.chat_template} added: a real model with a template of its own. */
public final class StoriesWithChatTemplate {
    /** A small template that writes BOS itself and marks turns with the model's EOS text. */
    public static final String TEMPLATE = "{{ bos_token }}{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}"
            + "{{ eos_token }}\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}";

    private StoriesWithChatTemplate() {
    }

    public static Path write(Path target) {
        try (GgufFile source = GgufFile.open(Fixtures.sharedFile("models/stories260K.gguf"), LoadMode.READ)) {
            GgufWriter.Builder b = GgufWriter.builder().putAll(source.metadata().entries())
                    .put("tokenizer.chat_template", GgufValue.ofString(TEMPLATE))
                    .putString("general.name", "stories260K-chat");
            for (GgufTensorInfo t : source.tensors().values()) {
                b.tensor(t.name(), t.type(), t.shape(), TensorSource.copyOf(source.tensorData(t)));
            }
            b.build().write(target);
        }
        return target;
    }
}
