package dev.llmlab.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmlab.experiment.record.RunRecord;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The charts a set of run records supports: throughput by prompt length and thread count (throughput runs),
 * perplexity against model size (perplexity and quantization runs), speed per model (model comparisons) and the
 * timing breakdown of every generation. A chart appears only when some run has data for it.
 */
public final class ReportCharts {
    static final int WIDTH = 820;
    static final int HEIGHT = 440;
    private static final int MAX_TIMING_BARS = 24;

    private ReportCharts() {
    }

    public static List<ReportChart> of(List<RunRecord> records) {
        List<ReportChart> charts = new ArrayList<>();
        for (RunRecord r : records) {
            if (r.experimentName().equals("throughput") && r.outputs().details() != null) {
                charts.addAll(throughput(r));
            }
        }
        perplexityBySize(records).ifPresent(charts::add);
        for (RunRecord r : records) {
            if (r.experimentName().equals("model-comparison") && r.outputs().details() != null) {
                charts.add(modelSpeed(r));
            }
        }
        for (RunRecord r : records) {
            if (r.experimentName().equals("layer-ablation") && r.outputs().details() != null) {
                charts.add(layerAblation(r));
            }
        }
        timingBreakdown(records).ifPresent(charts::add);
        return charts;
    }

    /** Perplexity per layer-ablation configuration, on a log axis (dropping early layers costs orders of magnitude). */
    static ReportChart layerAblation(RunRecord r) {
        JsonNode rows = r.outputs().details().get("rows");
        List<String> labels = new ArrayList<>();
        List<Double> ppl = new ArrayList<>();
        for (JsonNode row : rows) {
            labels.add(row.get("label").asText());
            ppl.add(row.get("perplexity").asDouble());
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Layer ablation (" + r.modelSummary() + ")").xAxisTitle("layers dropped")
                .yAxisTitle("perplexity (log)").build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        // a line with markers: XChart's log axis refuses bars (they start at zero)
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(ppl.stream().mapToDouble(Double::doubleValue).min().orElse(1) / 2);
        chart.addSeries("perplexity", labels, ppl).setMarker(SeriesMarkers.CIRCLE);
        return new ReportChart("layer-ablation-" + r.id(), "Perplexity as layers are dropped",
                "Run " + r.id() + ": perplexity of the model with the named layers removed (in memory); the first bar"
                        + " is the whole model. Lower is better.", chart);
    }

    /** Prompt processing t/s against prompt length, one line per thread count; generation t/s per thread count. */
    static List<ReportChart> throughput(RunRecord r) {
        Map<Integer, List<double[]>> pp = new TreeMap<>(); // threads -> (tokens, mean, sd)
        Map<Integer, double[]> tg = new TreeMap<>();
        for (JsonNode row : r.outputs().details()) {
            int threads = row.get("threads").asInt();
            double[] point = {row.get("tokens").asDouble(), row.get("mean_tokens_per_second").asDouble(),
                    row.get("stddev_tokens_per_second").asDouble()};
            if (row.get("kind").asText().equals("pp")) {
                pp.computeIfAbsent(threads, t -> new ArrayList<>()).add(point);
            } else {
                tg.put(threads, point);
            }
        }
        List<ReportChart> charts = new ArrayList<>();
        if (!pp.isEmpty()) {
            // categories, not a numeric axis: prompt lengths are usually powers of two, evenly spaced this way
            CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                    .title("Prompt processing by prompt length (" + r.modelSummary() + ")")
                    .xAxisTitle("prompt length (tokens)").yAxisTitle("tokens / s").build();
            style(chart.getStyler());
            chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
            chart.getStyler().setOverlapped(true);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
            List<String> lengths = pp.values().iterator().next().stream().sorted(Comparator.comparingDouble(p -> p[0]))
                    .map(p -> String.valueOf((int) p[0])).toList();
            pp.forEach((threads, points) -> {
                CategorySeries s = chart.addSeries(threads + (threads == 1 ? " thread" : " threads"), lengths,
                        boxed(column(points, 1)), boxed(column(points, 2)));
                s.setMarker(SeriesMarkers.CIRCLE);
            });
            charts.add(new ReportChart("throughput-pp-" + r.id(), "Tokens/s by prompt length and threads",
                    "Run " + r.id() + ": mean prompt-processing rate of one batch of N tokens, error bars ± one "
                            + "standard deviation over the repetitions. Higher is better.", chart));
        }
        if (!tg.isEmpty()) {
            CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                    .title("Generation by thread count (" + r.modelSummary() + ")")
                    .xAxisTitle("threads").yAxisTitle("tokens / s").build();
            style(chart.getStyler());
            chart.getStyler().setLegendVisible(false);
            List<String> labels = tg.keySet().stream().map(String::valueOf).toList();
            List<Double> means = tg.values().stream().map(v -> v[1]).toList();
            List<Double> sds = tg.values().stream().map(v -> v[2]).toList();
            chart.addSeries("tg" + (int) tg.values().iterator().next()[0], labels, means, sds);
            charts.add(new ReportChart("throughput-tg-" + r.id(), "Generation tokens/s by thread count",
                    "Run " + r.id() + ": decoding one token at a time; error bars ± one standard deviation.", chart));
        }
        return charts;
    }

    /** One point per model (perplexity runs) or quantization (quantization runs): lower left is better. */
    static Optional<ReportChart> perplexityBySize(List<RunRecord> records) {
        Map<String, double[]> points = new LinkedHashMap<>(); // label -> (size MB, ppl)
        for (RunRecord r : records) {
            JsonNode details = r.outputs().details();
            if (r.experimentName().equals("perplexity") && !r.models().isEmpty()
                    && r.outputs().metrics().containsKey("perplexity")) {
                JsonNode context = details == null ? null : details.get("context_length");
                points.put(r.models().getFirst().ref() + (context == null ? "" : " n_ctx " + context.asInt())
                                + " (" + shortId(r) + ")",
                        new double[]{r.models().getFirst().sizeBytes() / 1e6, r.outputs().metrics().get("perplexity")});
            } else if (r.experimentName().equals("quant-comparison") && details != null) {
                for (JsonNode row : details) {
                    if (row.hasNonNull("perplexity") && row.hasNonNull("size_bytes")) {
                        points.put(row.get("type").asText() + " (" + shortId(r) + ")",
                                new double[]{row.get("size_bytes").asDouble() / 1e6, row.get("perplexity").asDouble()});
                    }
                }
            }
        }
        if (points.isEmpty()) {
            return Optional.empty();
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Perplexity vs model size")
                .xAxisTitle("file size (MB)").yAxisTitle("perplexity").build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(12);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE); // never over a point
        chart.getStyler().setDecimalPattern("#,##0.###");
        // from zero, with headroom: a single point (or close ones) must not become the whole axis
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setXAxisMax(points.values().stream().mapToDouble(p -> p[0]).max().orElse(1) * 1.3);
        chart.getStyler().setYAxisMax(points.values().stream().mapToDouble(p -> p[1]).max().orElse(1) * 1.3);
        points.forEach((label, p) -> chart.addSeries(label, new double[]{p[0]}, new double[]{p[1]}));
        return Optional.of(new ReportChart("perplexity-vs-size", "Perplexity vs size",
                "Each point is a model or a quantization of one: smaller files to the left, better predictions "
                        + "lower down.", chart));
    }

    static ReportChart modelSpeed(RunRecord r) {
        Map<String, double[]> byModel = new LinkedHashMap<>(); // model -> (sum t/s, count)
        for (JsonNode row : r.outputs().details()) {
            double[] acc = byModel.computeIfAbsent(row.get("model").asText(), m -> new double[2]);
            acc[0] += row.get("tokens_per_second").asDouble();
            acc[1]++;
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("Decode speed per model")
                .xAxisTitle("model").yAxisTitle("tokens / s").build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.addSeries("t/s", new ArrayList<>(byModel.keySet()),
                byModel.values().stream().map(v -> v[0] / v[1]).toList());
        return new ReportChart("model-speed-" + r.id(), "Decode tokens/s per model",
                "Run " + r.id() + ": mean decode rate over the prompts.", chart);
    }

    /** Stacked bars: prompt processing, the rest of the wait for the first token, decoding. */
    static Optional<ReportChart> timingBreakdown(List<RunRecord> records) {
        List<String> labels = new ArrayList<>();
        List<Double> prompt = new ArrayList<>();
        List<Double> firstToken = new ArrayList<>();
        List<Double> decode = new ArrayList<>();
        for (RunRecord r : records) {
            List<RunRecord.GenerationRecord> generations = r.outputs().generations();
            for (int i = 0; i < generations.size() && labels.size() < MAX_TIMING_BARS; i++) {
                RunRecord.Timing t = generations.get(i).timings();
                labels.add(shortId(r) + (generations.size() > 1 ? "#" + (i + 1) : ""));
                prompt.add(t.promptMs());
                firstToken.add(Math.max(0, t.ttftMs() - t.promptMs()));
                decode.add(t.generationMs());
            }
        }
        if (labels.isEmpty()) {
            return Optional.empty();
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("Timing breakdown")
                .xAxisTitle("run (last 4 characters of the id) # generation").yAxisTitle("milliseconds").build();
        style(chart.getStyler());
        chart.getStyler().setStacked(true);
        chart.getStyler().setXAxisLabelRotation(labels.size() > 8 ? 45 : 0);
        chart.addSeries("prompt processing", labels, prompt);
        chart.addSeries("first token (sampling, rest)", labels, firstToken);
        chart.addSeries("decoding", labels, decode);
        return Optional.of(new ReportChart("timing-breakdown", "Timing breakdown per generation",
                "Where each generation's time went: processing the prompt, producing the first token, then "
                        + "decoding the rest.", chart));
    }

    /** The random end of a run id, enough to tell runs apart in a legend. */
    private static String shortId(RunRecord r) {
        return r.id().substring(Math.max(0, r.id().length() - 4));
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setAntiAlias(true);
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static double[] column(List<double[]> points, int index) {
        return points.stream().sorted(Comparator.comparingDouble(p -> p[0])).mapToDouble(p -> p[index])
                .toArray();
    }
}
