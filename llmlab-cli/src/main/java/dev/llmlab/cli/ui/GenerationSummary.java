package dev.llmlab.cli.ui;

import dev.llmlab.generate.GenerationResult;
import dev.llmlab.generate.Timings;

import java.util.ArrayList;
import java.util.List;

/** The label/value rows of the summary shown after a generation. */
public final class GenerationSummary {
    private GenerationSummary() {
    }

    public record Row(String label, String value) {
    }

    private static final int MIN_VALUE_WIDTH = 16;

    public static List<Row> rows(String model, GenerationResult result) {
        Timings t = result.timings();
        List<Row> rows = new ArrayList<>(List.of(
                new Row("Model", model + " · " + result.backend()),
                new Row("Prompt", t.promptTokens() + " tokens in " + HumanUnits.duration(t.promptTime())
                        + " · " + HumanUnits.rate(t.promptTokensPerSecond())),
                new Row("Generation", t.generatedTokens() + " tokens in " + HumanUnits.duration(t.generationTime())
                        + " · " + HumanUnits.rate(t.tokensPerSecond())),
                new Row("Time to first token", HumanUnits.millis(t.timeToFirstToken())),
                new Row("Total", HumanUnits.duration(t.total())),
                new Row("Finish reason", HumanUnits.enumName(result.finishReason()))));
        result.notes().forEach(note -> rows.add(new Row("Note", note)));
        return rows;
    }

    /**
     * Rows as aligned {@code label  value} lines, values wrapping under themselves; when {@code width} is too
     * narrow for two columns, each label on its own line with the value indented below.
     */
    public static List<String> lines(List<Row> rows, Ansi ansi, int width) {
        int labelWidth = rows.stream().mapToInt(r -> r.label().length()).max().orElse(1);
        boolean twoColumns = width - labelWidth - 2 >= MIN_VALUE_WIDTH;
        int indent = twoColumns ? labelWidth + 2 : 2;
        List<String> lines = new ArrayList<>();
        for (Row r : rows) {
            List<String> value = TextWrap.wrap(r.value(), Math.max(1, width - indent));
            if (twoColumns) {
                String label = r.label() + " ".repeat(labelWidth - r.label().length());
                lines.add(ansi.style(label, Style.BOLD) + "  " + value.getFirst());
                value = value.subList(1, value.size());
            } else {
                lines.add(ansi.style(r.label(), Style.BOLD));
            }
            value.forEach(v -> lines.add(" ".repeat(indent) + v));
        }
        return lines;
    }

    /** One line for stderr after piped output: {@code 60 tokens · 456.7 t/s · TTFT 12.3 ms · ...}. */
    public static String oneLine(GenerationResult result) {
        Timings t = result.timings();
        return t.generatedTokens() + " tokens · " + HumanUnits.rate(t.tokensPerSecond())
                + " · prompt " + t.promptTokens() + " tokens · " + HumanUnits.rate(t.promptTokensPerSecond())
                + " · TTFT " + HumanUnits.millis(t.timeToFirstToken())
                + " · total " + HumanUnits.duration(t.total())
                + " · " + HumanUnits.enumName(result.finishReason())
                + String.join("", result.notes().stream().map(n -> " · note: " + n).toList());
    }
}
