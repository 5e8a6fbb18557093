package dev.llmlab.cli;

import dev.llmlab.cli.ui.TerminalCapabilities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A report of real runs: a self-contained page whose embedded charts are real images, also written as PNGs. */
class ReportCommandTest {

    private static CliRun run(Path records, String... args) {
        Map<String, String> env = CliRun.sharedModelsEnv();
        env.put("LLMLAB_EXPERIMENTS_OUT", records.toString());
        return CliRun.run(env, TerminalCapabilities.plain(100), args);
    }

    @Test
    void chartsThroughputPerplexityAndTimingsOfRecordedRuns(@TempDir Path dir) throws IOException {
        Path records = dir.resolve("runs");
        Path text = dir.resolve("story.txt");
        try (var in = ReportCommandTest.class.getResourceAsStream("/texts/lily-and-the-ball.txt")) {
            Files.write(text, in.readAllBytes()); // a short story (llmlab-core's test resources)
        }
        assertThat(run(records, "run", "5", "--set", "prompt-lengths=8,16", "--set", "gen-tokens=4",
                "--set", "threads=1,2", "--set", "repetitions=2", "--set", "warmup=0").exitCode()).isZero();
        CliRun ppl = run(records, "run", "6", "--file", text.toString(), "--context", "32", "--set", "chunks=2");
        assertThat(ppl.exitCode()).as(ppl.err()).isZero();
        assertThat(run(records, "run", "1", "--max-tokens", "8").exitCode()).isZero();

        Path page = dir.resolve("out/report.html");
        CliRun report = run(records, "report", "--out", page.toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains("3 run(s), 4 chart(s)");

        String html = Files.readString(page);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("Tokens/s by prompt length and threads",
                "Generation tokens/s by thread count", "Perplexity vs size", "Timing breakdown per generation",
                "perplexity = ").doesNotContain("<script", "http://", "https://");
        Matcher images = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        int count = 0;
        while (images.find()) {
            assertDrawn(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(images.group(1)))));
            count++;
        }
        assertThat(count).isEqualTo(4);
        try (Stream<Path> pngs = Files.list(dir.resolve("out/report-charts"))) {
            List<Path> files = pngs.sorted().toList();
            assertThat(files).hasSize(4);
            for (Path png : files) {
                assertDrawn(ImageIO.read(png.toFile()));
            }
        }
    }

    @Test
    void chartsALayerAblation(@TempDir Path dir) throws IOException {
        Path records = dir.resolve("runs");
        Path text = dir.resolve("story.txt");
        try (var in = ReportCommandTest.class.getResourceAsStream("/texts/lily-and-the-ball.txt")) {
            Files.write(text, in.readAllBytes());
        }
        CliRun ablation = run(records, "run", "layer-ablation", "--file", text.toString(), "--context", "32",
                "--set", "chunks=2", "--set", "gen-tokens=2", "--set", "mode=cumulative");
        assertThat(ablation.exitCode()).as(ablation.err()).isZero();
        assertThat(ablation.out()).contains("drop 3-4");
        Path page = dir.resolve("out/report.html");
        CliRun report = run(records, "report", "--out", page.toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(Files.readString(page)).contains("Perplexity as layers are dropped");
        try (Stream<Path> pngs = Files.list(dir.resolve("out/report-charts"))) {
            List<Path> files = pngs.filter(f -> f.getFileName().toString().contains("layer-ablation")).toList();
            assertThat(files).hasSize(1);
            assertDrawn(ImageIO.read(files.getFirst().toFile()));
        }
    }

    @Test
    void noRecordsIsAClearError(@TempDir Path dir) {
        CliRun r = run(dir.resolve("empty"), "report");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no runs recorded in").contains("llmlab run");
    }

    /** A chart image: the advertised size and many colours (axes, text, series), not a blank canvas. */
    private static void assertDrawn(BufferedImage image) {
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(820);
        assertThat(image.getHeight()).isEqualTo(440);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).isGreaterThan(20);
    }
}
