package dev.llmlab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.HumanUnits;
import dev.llmlab.cli.ui.Style;
import dev.llmlab.cli.ui.Table;
import dev.llmlab.system.Alternative;
import dev.llmlab.system.InferenceEstimate;
import dev.llmlab.system.MemoryTerm;
import dev.llmlab.system.ModelHeader;
import dev.llmlab.system.Recommender;
import dev.llmlab.system.TrainingEstimate;
import dev.llmlab.system.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What {@code llmlab fit} shows: the inference breakdown, the verdict, alternatives and training estimates. */
record FitReport(InferenceEstimate estimate, Verdict verdict, List<Alternative> alternatives,
                 List<TrainingEstimate> training, Recommender recommender) {
    /** Said wherever smaller models would be listed: the estimate works from one header, the hub lists others. */
    static final String HUB_SEARCH = "smaller models: `llmlab search PATTERN --filter gguf` lists hub models and "
            + "`llmlab info REF` their quantizations and sizes; `llmlab fit ORG/REPO:QUANT` checks one by its header alone";

    String toJson() throws JsonProcessingException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ModelHeader m = estimate.model();
        root.put("model", m.name()).put("source", m.source()).put("architecture", m.config().architecture())
                .put("parameters", m.parameterCount()).put("context", estimate.contextLength())
                .put("threads", estimate.threads());
        ArrayNode terms = root.putArray("inference");
        for (MemoryTerm t : estimate.terms()) {
            terms.addObject().put("name", t.name()).put("bytes", t.bytes())
                    .put("place", t.place().name().toLowerCase(Locale.ROOT)).put("basis", t.basis());
        }
        root.put("inference_bytes", estimate.totalBytes()).put("heap_bytes", estimate.heapBytes())
                .put("verdict", verdict.level().label()).put("verdict_reason", verdict.reason());
        ArrayNode alt = root.putArray("alternatives");
        for (Alternative a : alternatives) {
            alt.addObject().put("change", a.change()).put("inference_bytes", a.estimate().totalBytes())
                    .put("verdict", a.verdict().level().label());
        }
        root.put("hub_search", HUB_SEARCH);
        ArrayNode train = root.putArray("training");
        for (TrainingEstimate t : training) {
            train.addObject().put("method", t.method()).put("trainable_parameters", t.trainableParams())
                    .put("weights_bytes", t.weightBytes()).put("gradients_bytes", t.gradientBytes())
                    .put("optimizer_bytes", t.optimizerBytes()).put("activations_bytes", t.activationBytes())
                    .put("total_bytes", t.totalBytes())
                    .put("verdict", recommender.judge(t.totalBytes()).level().label()).put("basis", t.basis());
        }
        return mapper.writeValueAsString(root);
    }

    List<String> render(Ansi ansi) {
        List<String> lines = new ArrayList<>();
        ModelHeader m = estimate.model();
        lines.add(ansi.style(m.name(), Style.BOLD) + "  " + m.config().architecture() + ", "
                + HumanUnits.count(m.parameterCount()) + " params, context " + estimate.contextLength() + ", "
                + estimate.threads() + " threads");
        Table table = new Table(List.of("inference memory", "size", "where", "how"));
        for (MemoryTerm t : estimate.terms()) {
            table.add(List.of(t.name(), HumanUnits.bytes(t.bytes()), t.place().name().toLowerCase(Locale.ROOT)
                    .replace('_', ' '), t.basis()));
        }
        table.add(List.of("total (peak resident)", HumanUnits.bytes(estimate.totalBytes()), "",
                "of which heap " + HumanUnits.bytes(estimate.heapBytes())));
        lines.addAll(table.render(ansi));
        lines.add("");
        lines.add(verdictLabel(verdict, ansi) + ": " + verdict.reason());
        lines.add(ansi.style("  fits: at most 80% of usable memory; tight: up to 100%; does not fit: more, or the "
                + "heap part over 90% of the max heap", Style.BRIGHT_BLACK));
        lines.add("");
        Table alt = new Table(List.of("instead", "inference memory", "verdict"));
        alternatives.forEach(a -> alt.add(List.of(a.change(), HumanUnits.bytes(a.estimate().totalBytes()),
                verdictLabel(a.verdict(), ansi))));
        lines.addAll(alt.render(ansi));
        lines.add(ansi.style("  " + HUB_SEARCH, Style.BRIGHT_BLACK));
        lines.add("");
        Table train = new Table(List.of("training (batch x " + estimate.contextLength() + " tokens)", "params trained",
                "weights", "grads", "optimizer", "activations", "total", "verdict"));
        for (TrainingEstimate t : training) {
            train.add(List.of(t.method(), HumanUnits.count(t.trainableParams()), HumanUnits.bytes(t.weightBytes()),
                    HumanUnits.bytes(t.gradientBytes()), HumanUnits.bytes(t.optimizerBytes()),
                    HumanUnits.bytes(t.activationBytes()), HumanUnits.bytes(t.totalBytes()),
                    verdictLabel(recommender.judge(t.totalBytes()), ansi)));
        }
        lines.addAll(train.render(ansi));
        lines.add(ansi.style("  formulas in docs/ARCHITECTURE.md (System compatibility); training is estimated, "
                + "not measured: llmlab does not train yet", Style.BRIGHT_BLACK));
        return lines;
    }

    private static String verdictLabel(Verdict v, Ansi ansi) {
        Style style = switch (v.level()) {
            case FITS -> Style.GREEN;
            case TIGHT -> Style.YELLOW;
            case DOES_NOT_FIT -> Style.RED;
        };
        return ansi.style(v.level().label(), style);
    }
}
