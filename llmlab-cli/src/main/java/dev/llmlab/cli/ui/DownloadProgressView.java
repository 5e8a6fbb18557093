package dev.llmlab.cli.ui;

import dev.llmlab.generate.Ticker;
import dev.llmlab.hub.DownloadListener;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Shows downloads on stderr: on a terminal one live line per file
 * ({@code ⠹ model.gguf  12.3 MB / 45.6 MB · 5.2 MB/s · ETA 6.40 s  ━━━━╸━━━ 27%}, redrawn at most every 100 ms);
 * piped, plain lines: the start, each quarter, retries, the end.
 */
public final class DownloadProgressView implements DownloadListener {
    private static final String SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 20;

    private final PrintStream out;
    private final TerminalCapabilities terminal;
    private final Ansi ansi;
    private final Ticker ticker;
    private long startNanos;
    private long startBytes;
    private long lastDrawNanos;
    private int lastQuarter;
    private boolean lineOpen;
    private int frame;

    public DownloadProgressView(PrintStream out, TerminalCapabilities terminal, Ticker ticker) {
        this.out = out;
        this.terminal = terminal;
        this.ansi = new Ansi(terminal.ansi());
        this.ticker = ticker;
    }

    private boolean live() {
        return terminal.interactive() && terminal.ansi();
    }

    @Override
    public void started(String path, long totalBytes, long resumedBytes) {
        startNanos = ticker.nanoTime();
        startBytes = resumedBytes;
        lastDrawNanos = 0;
        lastQuarter = totalBytes > 0 ? (int) (4 * resumedBytes / totalBytes) : 0;
        if (live()) {
            draw(path, resumedBytes, totalBytes, false);
        } else {
            out.println("downloading " + path + (totalBytes >= 0 ? " (" + HumanUnits.bytes(totalBytes) + ")" : "")
                    + (resumedBytes > 0 ? ", resuming at " + HumanUnits.bytes(resumedBytes) : ""));
        }
    }

    @Override
    public void progress(String path, long doneBytes, long totalBytes) {
        long now = ticker.nanoTime();
        if (live()) {
            if (now - lastDrawNanos >= REDRAW_NANOS) {
                lastDrawNanos = now;
                draw(path, doneBytes, totalBytes, false);
            }
        } else if (totalBytes > 0) {
            int quarter = (int) (4 * doneBytes / totalBytes);
            if (quarter > lastQuarter && quarter < 4) {
                lastQuarter = quarter;
                out.println("  " + path + ": " + line(doneBytes, totalBytes, now));
            }
        }
    }

    @Override
    public void retrying(String path, int failedAttempt, Duration delay, String reason) {
        closeLine();
        out.println(ansi.style("  retrying " + path + " in " + HumanUnits.duration(delay) + " (attempt "
                + failedAttempt + ": " + reason + ")", Style.YELLOW));
    }

    @Override
    public void finished(String path, long totalBytes, boolean cached) {
        if (cached) {
            closeLine();
            out.println(ansi.style("✔", Style.GREEN) + " " + path + " (in the cache)");
            return;
        }
        if (live()) {
            draw(path, totalBytes, totalBytes, true);
            closeLine();
        } else {
            out.println("done " + path + ": " + HumanUnits.bytes(totalBytes) + " in "
                    + HumanUnits.duration(Duration.ofNanos(ticker.nanoTime() - startNanos)));
        }
    }

    private void draw(String path, long done, long total, boolean finished) {
        String mark = finished ? ansi.style("✔", Style.GREEN)
                : ansi.style(String.valueOf(SPINNER.charAt(frame++ % SPINNER.length())), Style.CYAN);
        String text = mark + " " + path + "  " + line(done, total, ticker.nanoTime());
        if (total > 0) {
            double fraction = Math.min(1.0, done / (double) total);
            String withBar = text + "  " + ProgressBar.render(fraction, BAR_WIDTH, ansi) + " "
                    + Math.round(fraction * 100) + "%";
            text = TextWrap.length(Ansi.strip(withBar)) <= terminal.width() ? withBar : text;
        }
        out.print("\r" + text + ansi.clearToEnd());
        out.flush();
        lineOpen = true;
    }

    /** {@code 12.3 MB / 45.6 MB · 5.2 MB/s · ETA 6.40 s} */
    private String line(long done, long total, long now) {
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? (done - startBytes) / seconds : 0;
        String sep = ansi.style(" · ", Style.BRIGHT_BLACK);
        StringBuilder s = new StringBuilder(HumanUnits.bytes(done));
        if (total >= 0) {
            s.append(" / ").append(HumanUnits.bytes(total));
        }
        s.append(sep).append(HumanUnits.byteRate(rate));
        if (total > 0 && rate > 0 && done < total) {
            s.append(sep).append("ETA ").append(HumanUnits.duration(Duration.ofMillis(
                    (long) ((total - done) / rate * 1000))));
        }
        return s.toString();
    }

    private void closeLine() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }
}
