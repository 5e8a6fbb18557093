package dev.llmlab.cli.ui;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class DownloadProgressViewTest {
    private final AtomicLong now = new AtomicLong();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private DownloadProgressView view(TerminalCapabilities terminal) {
        return new DownloadProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal, now::get);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void liveLineShowsBytesRateEtaAndBar() {
        DownloadProgressView v = view(TerminalCapabilities.ansi(120));
        v.started("m.gguf", 4_000_000, 0);
        now.set(2_000_000_000L);
        v.progress("m.gguf", 1_000_000, 4_000_000);
        String line = Ansi.strip(output().substring(output().lastIndexOf('\r') + 1));
        assertThat(line).contains("m.gguf  1.0 MB / 4.0 MB · 500.0 kB/s · ETA 6.00 s").endsWith("25%");
        now.set(2_050_000_000L); // within 100 ms: no redraw
        int length = output().length();
        v.progress("m.gguf", 1_100_000, 4_000_000);
        assertThat(output()).hasSize(length);
        now.set(4_000_000_000L);
        v.finished("m.gguf", 4_000_000, false);
        assertThat(Ansi.strip(output())).endsWith("✔ m.gguf  4.0 MB / 4.0 MB · 1.0 MB/s  ━━━━━━━━━━━━━━━━━━━━ 100%\n");
    }

    @Test
    void pipedOutputIsPlainLinesPerQuarter() {
        DownloadProgressView v = view(TerminalCapabilities.plain(80));
        v.started("m.gguf", 1000, 200);
        for (int done = 300; done <= 1000; done += 100) {
            now.addAndGet(1_000_000_000L);
            v.progress("m.gguf", done, 1000);
        }
        v.retrying("m.gguf", 1, Duration.ofSeconds(2), "connection closed");
        v.finished("m.gguf", 1000, false);
        assertThat(Ansi.hasEscapes(output())).isFalse();
        assertThat(output()).isEqualTo("""
                downloading m.gguf (1.0 kB), resuming at 200 B
                  m.gguf: 300 B / 1.0 kB · 100 B/s · ETA 7.00 s
                  m.gguf: 500 B / 1.0 kB · 100 B/s · ETA 5.00 s
                  m.gguf: 800 B / 1.0 kB · 100 B/s · ETA 2.00 s
                  retrying m.gguf in 2.00 s (attempt 1: connection closed)
                done m.gguf: 1.0 kB in 8.00 s
                """);
    }
}
