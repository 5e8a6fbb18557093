package dev.llmlab.cli.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.GenerationResult;
import dev.llmlab.generate.Timings;
import dev.llmlab.model.ModelInfo;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * One JSON object per line, for scripts: {@code {"type":"token","index":0,"id":42,"text":"..."}} per token,
 * then {@code {"type":"result", "text", "token_ids", "prompt_tokens", "generated_tokens", "ttft_ms", ...}}.
 * Text held back at the end (a possible stop-string prefix) is in the result's {@code trailing_text}; the
 * result's {@code text} is always the whole generation.
 */
public final class JsonLinesView implements GenerationView {
    private final PrintStream out;
    private final ObjectMapper mapper = new ObjectMapper();
    private String modelName;
    private String label = "";

    public JsonLinesView(PrintStream out) {
        this.out = out;
    }

    @Override
    public void modelLoaded(ModelInfo info) {
        modelName = info.name();
    }

    @Override
    public void progress(String task, int done, int total, String detail) {
        ObjectNode o = mapper.createObjectNode();
        o.put("type", "progress").put("task", task).put("done", done).put("total", total).put("detail", detail);
        emit(o);
    }

    @Override
    public void table(String title, List<String> header, List<List<String>> rows) {
        ObjectNode o = mapper.createObjectNode();
        o.put("type", "table").put("title", title);
        o.set("header", mapper.valueToTree(header));
        o.set("rows", mapper.valueToTree(rows));
        emit(o);
    }

    @Override
    public void note(String text) {
        emit(mapper.createObjectNode().put("type", "note").put("text", text));
    }

    @Override
    public void generationStarted(String label, GenerationRequest request) {
        this.label = label == null ? "" : label;
    }

    @Override
    public void generationEvent(GenerationEvent event) {
        switch (event) {
            case GenerationEvent.PromptProcessed p -> {
            }
            case GenerationEvent.Token t -> {
                ObjectNode o = mapper.createObjectNode();
                o.put("type", "token").put("index", t.index()).put("id", t.tokenId()).put("text", t.text());
                emit(o);
            }
            case GenerationEvent.Finished f -> emit(result(f.result(), f.trailingText()));
        }
    }

    private ObjectNode result(GenerationResult r, String trailingText) {
        Timings t = r.timings();
        ObjectNode o = mapper.createObjectNode();
        o.put("type", "result");
        if (!label.isEmpty()) {
            o.put("label", label);
        }
        o.put("text", r.text());
        ArrayNode ids = o.putArray("token_ids");
        r.tokenIds().forEach(ids::add);
        o.put("trailing_text", trailingText);
        o.put("finish_reason", r.finishReason().name().toLowerCase(Locale.ROOT));
        o.put("prompt_tokens", t.promptTokens());
        o.put("generated_tokens", t.generatedTokens());
        o.put("ttft_ms", millis(t.timeToFirstToken().toNanos()));
        o.put("prompt_ms", millis(t.promptTime().toNanos()));
        o.put("generation_ms", millis(t.generationTime().toNanos()));
        o.put("total_ms", millis(t.total().toNanos()));
        o.put("prompt_tokens_per_second", t.promptTokensPerSecond());
        o.put("tokens_per_second", t.tokensPerSecond());
        o.put("backend", r.backend());
        if (!r.notes().isEmpty()) {
            ArrayNode notes = o.putArray("notes");
            r.notes().forEach(notes::add);
        }
        if (modelName != null) {
            o.put("model", modelName);
        }
        return o;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private void emit(ObjectNode node) {
        try {
            out.println(mapper.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON line: " + e.getMessage(), e);
        }
        out.flush();
    }
}
