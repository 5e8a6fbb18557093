package dev.llmlab.cli.ui;

import dev.llmlab.quant.Quantizer;
import dev.llmlab.quant.TensorChoice;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Quantization progress on stderr: on a terminal one live line (spinner, bar, percentage, the tensor at work),
 * redrawn at most every 50 ms and erased at the end; otherwise one plain line per tensor.
 */
public final class QuantizeProgressView implements Quantizer.Progress {
    private static final String SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
    private static final long REDRAW_NANOS = 50_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintStream err;
    private final TerminalCapabilities terminal;
    private final Ansi ansi;
    private final String label;
    private final int tensorCount;
    private final boolean linePerTensor;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private int tensorsDone;
    private boolean drawn;

    /**
     * @param label       what is being made, e.g. {@code Q4_K_M}
     * @param tensorCount   tensors in the model, for the plain lines' counter
     * @param linePerTensor plain output: one line per tensor (else one line when done)
     */
    public QuantizeProgressView(PrintStream err, TerminalCapabilities terminal, String label, int tensorCount,
                                boolean linePerTensor) {
        this.err = err;
        this.terminal = terminal;
        this.ansi = new Ansi(terminal.ansi());
        this.label = label;
        this.tensorCount = tensorCount;
        this.linePerTensor = linePerTensor;
    }

    private boolean live() {
        return terminal.interactive() && terminal.ansi();
    }

    @Override
    public void tensorDone(TensorChoice choice, long elementsDone, long totalElements) {
        tensorsDone++;
        if (!live()) {
            if (!linePerTensor) {
                if (tensorsDone == tensorCount) {
                    err.println(label + ": " + tensorCount + " tensors quantized in "
                            + HumanUnits.duration(Duration.ofNanos(System.nanoTime() - startNanos)));
                }
                return;
            }
            String counter = String.format(Locale.ROOT, "[%" + Integer.toString(tensorCount).length() + "d/%d]",
                    tensorsDone, tensorCount);
            err.println(label + " " + counter + " " + choice.name() + " " + choice.from()
                    + (choice.isKept() ? " (kept)" : " -> " + choice.to())
                    + (choice.isFallback() ? "  fallback: " + choice.fallback() : ""));
            return;
        }
        long now = System.nanoTime();
        if (now - lastDrawNanos < REDRAW_NANOS && elementsDone < totalElements) {
            return;
        }
        lastDrawNanos = now;
        double fraction = totalElements == 0 ? 1 : elementsDone / (double) totalElements;
        Duration elapsed = Duration.ofNanos(now - startNanos);
        String spin = ansi.style(String.valueOf(SPINNER.charAt((int) (elapsed.toMillis() / 80 % SPINNER.length()))),
                Style.CYAN);
        String line = spin + " " + label + "  " + ProgressBar.render(fraction, BAR_WIDTH, ansi) + " "
                + Math.round(fraction * 100) + "%" + ansi.style(" · ", Style.BRIGHT_BLACK)
                + HumanUnits.duration(elapsed) + ansi.style(" · " + choice.name() + " " + choice.to(), Style.DIM);
        err.print(ansi.cursorUpToLineStart(0) + ansi.clearToEnd() + fit(line));
        err.flush();
        drawn = true;
    }

    /** Erases the live line (before the summary is printed). */
    public void finish() {
        if (drawn) {
            err.print(ansi.cursorUpToLineStart(0) + ansi.clearToEnd());
            err.flush();
            drawn = false;
        }
    }

    private String fit(String line) {
        String plain = Ansi.strip(line);
        return TextWrap.length(plain) < terminal.width() ? line : plain.substring(0, Math.max(0, terminal.width() - 1));
    }
}
