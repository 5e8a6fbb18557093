package dev.llmlab.cli.ui;

import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.model.ModelInfo;

import java.io.PrintStream;
import java.util.List;

/**
 * Plain text without a single escape code, for pipes, files and NO_COLOR. Tokens are still written as they
 * arrive. Two layouts:
 * <ul>
 *   <li>{@link #report}: one stream gets everything: load line, prompt, output, summary (for {@code run});</li>
 *   <li>{@link #textOnly}: the text stream gets only the generated text; the load line and summary go to a
 *   second stream (for {@code generate} in scripts: stdout holds exactly the completion).</li>
 * </ul>
 */
public final class PlainGenerationView implements GenerationView {
    private static final Ansi NO_ANSI = new Ansi(false);

    private final PrintStream text;
    private final PrintStream meta;
    private final boolean echoPrompt;
    private String modelName = "model";
    private boolean endsWithNewline = true;

    private PlainGenerationView(PrintStream text, PrintStream meta, boolean echoPrompt) {
        this.text = text;
        this.meta = meta;
        this.echoPrompt = echoPrompt;
    }

    public static PlainGenerationView report(PrintStream out) {
        return new PlainGenerationView(out, out, true);
    }

    public static PlainGenerationView textOnly(PrintStream text, PrintStream meta) {
        return new PlainGenerationView(text, meta, false);
    }

    @Override
    public void modelLoaded(ModelInfo info) {
        modelName = ModelLine.displayName(info);
        meta.println(ModelLine.describe(info, NO_ANSI));
        meta.flush();
    }

    @Override
    public void note(String note) {
        meta.println(note);
    }

    /** One line when a step ends (a pipe gets no redraws, and a line per unit would flood it). */
    @Override
    public void progress(String task, int done, int total, String detail) {
        if (done >= total) {
            meta.println(task + " " + done + "/" + total + (detail.isEmpty() ? "" : "  " + detail));
            meta.flush();
        }
    }

    @Override
    public void table(String title, List<String> header, List<List<String>> rows) {
        Table table = new Table(header);
        rows.forEach(table::add);
        meta.println(title);
        table.render(NO_ANSI).forEach(meta::println);
        meta.println();
        meta.flush();
    }

    @Override
    public void generationStarted(String label, GenerationRequest request) {
        if (echoPrompt) {
            String suffix = label == null || label.isBlank() ? "" : " (" + label + ")";
            text.println("Prompt" + suffix + ": " + request.prompt());
            text.println("Output" + suffix + ":");
            text.flush();
        }
        endsWithNewline = true;
    }

    @Override
    public void generationEvent(GenerationEvent event) {
        switch (event) {
            case GenerationEvent.PromptProcessed p -> {
            }
            case GenerationEvent.Token t -> write(t.text());
            case GenerationEvent.Finished f -> {
                write(f.trailingText());
                if (echoPrompt) {
                    text.println();
                    text.println();
                    text.println("Summary:");
                    GenerationSummary.lines(GenerationSummary.rows(modelName, f.result()), NO_ANSI, Integer.MAX_VALUE / 2)
                            .forEach(l -> text.println("  " + l));
                } else {
                    // stdout and stderr often share a terminal: start the summary on a line of its own
                    meta.println((endsWithNewline ? "" : "\n") + GenerationSummary.oneLine(f.result()));
                }
                text.flush();
                meta.flush();
            }
        }
    }

    private void write(String piece) {
        if (!piece.isEmpty()) {
            text.print(piece);
            text.flush();
            endsWithNewline = piece.endsWith("\n");
        }
    }
}
