package dev.llmlab.cli.ui;

import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.GenerationResult;
import dev.llmlab.generate.Ticker;
import dev.llmlab.generate.Timings;
import dev.llmlab.model.ModelInfo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * The terminal view in the style of Rich: a cyan "Prompt" panel, a green "Output" panel that fills as tokens
 * stream in with a live status line under it, then a summary panel.
 *
 * <p>Only the tail of the output panel is redrawn in place (the line being written, the bottom border and the
 * status line): finished lines are printed once and scroll like any output, so long stories never need the
 * cursor to move above the top of the screen. Redraws are limited to {@link #REDRAW_INTERVAL}.
 */
public final class LiveGenerationView implements GenerationView {
    static final Duration REDRAW_INTERVAL = Duration.ofMillis(50);

    private final PrintStream out;
    private final Ansi ansi;
    private final int width;
    private final Ticker ticker;
    private String modelName = "model";

    // state of the current generation
    private final StringBuilder text = new StringBuilder();
    private Panel output;
    private int maxTokens;
    private int tokens;
    private long startNanos;
    private long firstTokenNanos;
    private Timings finalTimings;
    private long lastRedrawNanos;
    private int committedLines;
    private int liveLines;
    private String progressTask = "";
    private long progressStartNanos;
    private boolean progressLive;

    public LiveGenerationView(PrintStream out, TerminalCapabilities capabilities, Ticker ticker) {
        this.out = out;
        this.ansi = new Ansi(capabilities.ansi());
        this.width = capabilities.width();
        this.ticker = ticker;
    }

    @Override
    public void modelLoaded(ModelInfo info) {
        endProgressLine();
        modelName = ModelLine.displayName(info);
        out.println(ModelLine.describe(info, ansi));
        out.flush();
    }

    @Override
    public void note(String note) {
        endProgressLine();
        out.println(ansi.style(note, Style.BOLD));
        out.flush();
    }

    @Override
    public void progress(String task, int done, int total, String detail) {
        long now = ticker.nanoTime();
        if (!task.equals(progressTask)) {
            progressTask = task;
            progressStartNanos = now;
        }
        boolean finished = done >= total;
        if (!finished && done > 1 && now - lastRedrawNanos < REDRAW_INTERVAL.toNanos()) {
            return;
        }
        lastRedrawNanos = now;
        String line = new ProgressLine(task, done, total, detail, Duration.ofNanos(now - progressStartNanos))
                .render(ansi);
        out.print(ansi.cursorUpToLineStart(0) + ansi.clearToEnd() + fit(line, width) + (finished ? "\n" : ""));
        out.flush();
        progressLive = !finished;
        if (finished) {
            progressTask = "";
        }
    }

    /** Leaves an unfinished progress line as it is and moves below it, before printing anything else. */
    private void endProgressLine() {
        if (progressLive) {
            out.println();
            progressLive = false;
            progressTask = "";
        }
    }

    @Override
    public void table(String title, List<String> header, List<List<String>> rows) {
        endProgressLine();
        Table table = new Table(header);
        rows.forEach(table::add);
        out.println(ansi.style(title, Style.BOLD));
        table.render(ansi).forEach(line -> out.println(fit(line, width))); // a wrapped row is unreadable
        out.println();
        out.flush();
    }

    @Override
    public void generationStarted(String label, GenerationRequest request) {
        endProgressLine();
        String suffix = label == null || label.isBlank() ? "" : " · " + label;
        Panel prompt = new Panel("Prompt" + suffix, Style.CYAN, width, ansi);
        prompt.render(request.prompt(), Style.CYAN).forEach(out::println);
        output = new Panel("Output" + suffix, Style.GREEN, width, ansi);
        out.println(output.top());
        text.setLength(0);
        maxTokens = request.maxTokens();
        tokens = 0;
        committedLines = 0;
        liveLines = 0;
        startNanos = ticker.nanoTime();
        firstTokenNanos = 0;
        redraw(false, startNanos);
    }

    @Override
    public void generationEvent(GenerationEvent event) {
        long now = ticker.nanoTime();
        switch (event) {
            case GenerationEvent.PromptProcessed p -> redraw(false, now);
            case GenerationEvent.Token t -> {
                text.append(t.text());
                tokens = t.index() + 1;
                if (tokens == 1) {
                    firstTokenNanos = now;
                }
                if (now - lastRedrawNanos >= REDRAW_INTERVAL.toNanos()) {
                    redraw(false, now);
                }
            }
            case GenerationEvent.Finished f -> finish(f, now);
        }
    }

    private void finish(GenerationEvent.Finished finished, long now) {
        text.append(finished.trailingText());
        GenerationResult result = finished.result();
        tokens = result.timings().generatedTokens();
        finalTimings = result.timings();
        redraw(true, now);
        Panel summary = new Panel("Summary", Style.BLUE, width, ansi);
        out.println(summary.top());
        for (String line : GenerationSummary.lines(GenerationSummary.rows(modelName, result), ansi,
                summary.innerWidth())) {
            out.println(summary.row(line));
        }
        out.println(summary.bottom());
        out.flush();
    }

    @Override
    public void abandoned() {
        endProgressLine();
        if (liveLines > 0) {
            out.println(); // leave the status line as it was, so an error message starts on a fresh line
            out.flush();
            liveLines = 0;
        }
    }

    /**
     * Returns to the start of the live region, prints the lines that became final, then the line in progress,
     * the bottom border and the status line (left without a newline so the next redraw can return to it).
     */
    private void redraw(boolean done, long now) {
        lastRedrawNanos = now;
        List<String> lines = TextWrap.wrap(text.toString(), output.innerWidth());
        StringBuilder s = new StringBuilder();
        s.append(ansi.cursorUpToLineStart(liveLines - 1)).append(ansi.clearToEnd());
        int finalLines = done ? lines.size() : lines.size() - 1;
        for (; committedLines < finalLines; committedLines++) {
            s.append(output.row(lines.get(committedLines), Style.GREEN)).append('\n');
        }
        if (!done) {
            s.append(output.row(lines.getLast(), Style.GREEN)).append('\n');
        }
        s.append(output.bottom()).append('\n');
        s.append(fit(status(done, now).render(ansi, width), width));
        liveLines = done ? 0 : 3;
        if (done) {
            s.append('\n');
        }
        out.print(s);
        out.flush();
    }

    private StatusLine status(boolean done, long now) {
        if (done) {
            // the engine's own numbers, so the last status line agrees with the summary
            return new StatusLine(tokens, maxTokens, finalTimings.tokensPerSecond(), finalTimings.total(), true);
        }
        // decode rate as Timings defines it: tokens after the first over the time since the first
        double rate = tokens > 1 && now > firstTokenNanos ? (tokens - 1) * 1e9 / (now - firstTokenNanos) : 0;
        return new StatusLine(tokens, maxTokens, rate, Duration.ofNanos(now - startNanos), false);
    }

    /** Keeps a styled line within {@code columns} visible columns (the status line on narrow terminals). */
    private String fit(String styled, int columns) {
        if (TextWrap.length(Ansi.strip(styled)) <= columns) {
            return styled;
        }
        String plain = Ansi.strip(styled);
        return plain.substring(0, plain.offsetByCodePoints(0, columns));
    }
}
