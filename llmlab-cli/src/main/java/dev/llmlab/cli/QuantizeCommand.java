package dev.llmlab.cli;

import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.HumanUnits;
import dev.llmlab.cli.ui.QuantizeProgressView;
import dev.llmlab.cli.ui.Style;
import dev.llmlab.error.ModelNotFoundException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.io.FileData;
import dev.llmlab.io.LoadMode;
import dev.llmlab.kernels.KernelRegistry;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.quant.QualityReport;
import dev.llmlab.quant.QuantTarget;
import dev.llmlab.quant.Quantizer;
import dev.llmlab.quant.TensorChoice;
import dev.llmlab.tensor.ComputePool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code llmlab quantize}: quantizes a GGUF model to a type or a mix and writes it atomically; with
 * {@code --report}, measures each quantization's divergence from the original over a text.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Quantize a GGUF model to a type or a mix, or compare quantizations with --report.",
                "The input is F32/F16/BF16 or a type llmlab decodes; the output file appears only when complete.",
                "With --report, compare the quantized model's next-token distributions with the original's over",
                "a text (mean KL divergence, top-1 agreement)."},
        footer = {"", "Examples:",
                "  llmlab quantize model-f16.gguf model-q4km.gguf --type Q4_K_M",
                "  llmlab quantize model-f16.gguf --report --types Q8_0,Q6_K,Q4_K_M,Q4_0 --text my.txt"})
final class QuantizeCommand implements Callable<Integer> {
    /** Compared when no --text is given: plain English that small story models handle. */
    static final String DEFAULT_TEXT = "Once upon a time, there was a little girl named Lily. She loved to play "
            + "outside in the park with her friends. One day, she saw a big red ball under a tree. She ran to the "
            + "ball and picked it up. \"Look, Mom! I found a ball!\" she said. Her mom smiled and said, \"That is "
            + "a nice ball, Lily. Let's share it with your friends.\" Lily and her friends played with the ball all "
            + "day. They laughed and ran until the sun went down. When it was time to go home, Lily gave the ball "
            + "to a little boy who was sad. The boy smiled and said thank you. Lily felt happy inside.";

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN.gguf", description = "The model to quantize.")
    Path input;

    @Parameters(index = "1", arity = "0..1", paramLabel = "OUT.gguf",
            description = "The file to write (omit with --report --types to quantize in memory only).")
    Path output;

    @Option(names = "--type", paramLabel = "T", completionCandidates = TargetNames.class,
            description = "The type or mix to quantize to: ${COMPLETION-CANDIDATES}.")
    String type;

    @Option(names = "--types", paramLabel = "T,T", split = ",",
            description = "With --report and no OUT: several types, each quantized in memory and compared.")
    List<String> types;

    @Option(names = "--report", description = "Compare with the original over a text (KL divergence, top-1).")
    boolean report;

    @Option(names = "--text", paramLabel = "FILE", description = "The text for --report (default: a short "
            + "built-in story).")
    Path textFile;

    @Option(names = "--tokens", paramLabel = "N", defaultValue = "256",
            description = "With --report: compare at most N tokens of the text (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all ${DEFAULT-VALUE} processors).")
    int threads;

    @Option(names = "--json", description = "One JSON object instead of the human summary.")
    boolean json;

    QuantizeCommand(CliContext context) {
        this.context = context;
    }

    /** The target names, for the help text. */
    static final class TargetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Arrays.stream(QuantTarget.values()).map(Enum::name).iterator();
        }
    }

    @Override
    public Integer call() {
        List<QuantTarget> targets = targets();
        if (threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        }
        FileData.sizeOf(input); // a clear "no such file" before anything else
        QuantizeJson jsonOut = new QuantizeJson(input);
        try (GgufFile in = GgufFile.open(input, LoadMode.READ); ComputePool pool = ComputePool.ofThreads(threads)) {
            GgufModel source = GgufModel.of(in);
            List<GgufModel> quantized = new ArrayList<>();
            for (QuantTarget target : targets) {
                QuantizeProgressView progress = new QuantizeProgressView(context.err(), context.stderr(),
                        target.name(), source.tensors().size(), output != null);
                long start = System.nanoTime();
                Quantizer.Result result = Quantizer.quantize(source, target, pool, progress);
                Duration quantizeTime = Duration.ofNanos(System.nanoTime() - start);
                if (output != null) {
                    result.model().write(output, (t, done, total) -> { });
                }
                progress.finish();
                Duration total = Duration.ofNanos(System.nanoTime() - start);
                quantized.add(result.model());
                Summary summary = new Summary(target, in.fileSizeBytes(), source, result, quantizeTime, total);
                if (json) {
                    jsonOut.add(summary.toJson(output));
                } else if (output != null) {
                    summary.lines(input, output, new Ansi(context.stdout().ansi())).forEach(context.out()::println);
                }
            }
            if (report) {
                List<QualityReport.Row> rows = report(source, targets, quantized);
                if (json) {
                    jsonOut.report(rows);
                } else {
                    QuantizeReportTable.lines(rows, new Ansi(context.stdout().ansi())).forEach(context.out()::println);
                }
            }
        }
        if (json) {
            context.out().println(jsonOut.render());
        }
        context.out().flush();
        return 0;
    }

    private List<QuantTarget> targets() {
        if (textFile != null && !report) {
            throw new ParameterException(spec.commandLine(), "--text is for --report");
        }
        if (output != null) {
            if (types != null) {
                throw new ParameterException(spec.commandLine(), "--types quantizes in memory for --report; "
                        + "to write OUT.gguf give one --type");
            }
            if (type == null) {
                throw new ParameterException(spec.commandLine(), "missing --type T (e.g. --type Q4_K_M)");
            }
            return List.of(QuantTarget.parse(type));
        }
        if (!report) {
            throw new ParameterException(spec.commandLine(), "missing OUT.gguf (or --report to measure in memory)");
        }
        List<String> names = types != null ? types : type != null ? List.of(type) : List.of();
        if (names.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--report without OUT.gguf needs --types T,T,...");
        }
        return names.stream().map(QuantTarget::parse).distinct().toList();
    }

    private List<QualityReport.Row> report(GgufModel source, List<QuantTarget> targets, List<GgufModel> quantized) {
        LoadOptions options = LoadOptions.defaults().withThreads(threads);
        String text = readText();
        try (LocalModel original = LocalModel.load(source, options)) {
            int[] all = original.tokenizer().encode(text, original.tokenizer().addBosByDefault(), false);
            int limit = Math.min(Math.min(maxTokens, all.length), original.info().contextLength());
            int[] tokens = Arrays.copyOf(all, limit);
            context.err().println("report: " + tokens.length + " tokens of " + (textFile == null ? "the built-in text"
                    : textFile.toString()) + ", each position compared with " + input.getFileName());
            QualityReport.Reference reference = QualityReport.reference(original, tokens);
            List<QualityReport.Row> rows = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                GgufModel model = quantized.get(i);
                LoadOptions rowOptions = options;
                boolean computable = model.tensors().stream()
                        .allMatch(t -> options.kernels().supportedTypes().contains(t.type()));
                if (!computable) {
                    // the engine has scalar reference kernels for every type; vector kernels may lag behind
                    rowOptions = options.withKernels(KernelRegistry.scalar());
                }
                context.err().println("report: running " + targets.get(i) + (computable ? "" : " (scalar kernels: "
                        + options.kernels().name() + " kernels do not cover every type)"));
                rows.add(QualityReport.measure(targets.get(i).name(), model, reference, rowOptions));
            }
            return rows;
        }
    }

    private String readText() {
        if (textFile == null) {
            return DEFAULT_TEXT;
        }
        try {
            return Files.readString(textFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ModelNotFoundException("no such text file: " + textFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + textFile + ": " + e.getMessage(), e);
        }
    }

    /** What one quantization did. */
    record Summary(QuantTarget target, long inputBytes, GgufModel source, Quantizer.Result result,
                   Duration quantizeTime, Duration totalTime) {

        long outputBytes() {
            return result.model().writer().fileSizeBytes();
        }

        static double bitsPerWeight(GgufModel m) {
            long bytes = 0;
            for (GgufModel.Tensor t : m.tensors()) {
                bytes += t.data().byteSize();
            }
            return bytes * 8.0 / Math.max(1, m.parameterCount());
        }

        /** Input megabytes encoded per second of quantization. */
        double megabytesPerSecond() {
            return inputBytes / 1e6 / Math.max(1e-9, quantizeTime.toNanos() / 1e9);
        }

        Map<GgmlType, Integer> typeCounts() {
            Map<GgmlType, Integer> counts = new TreeMap<>();
            result.model().tensors().forEach(t -> counts.merge(t.type(), 1, Integer::sum));
            return counts;
        }

        List<String> lines(Path in, Path out, Ansi ansi) {
            List<String> lines = new ArrayList<>();
            lines.add(ansi.style("✔", Style.GREEN) + " wrote " + out + " (" + target + ") from " + in.getFileName()
                    + " in " + HumanUnits.duration(totalTime));
            lines.add(String.format(java.util.Locale.ROOT, "  size         %s -> %s (%.1f%%)",
                    HumanUnits.bytes(inputBytes), HumanUnits.bytes(outputBytes()), 100.0 * outputBytes() / inputBytes));
            lines.add(String.format(java.util.Locale.ROOT, "  bits/weight  %.2f -> %.2f", bitsPerWeight(source),
                    bitsPerWeight(result.model())));
            lines.add(String.format(java.util.Locale.ROOT, "  time         %s quantizing (%.1f MB/s), %s in all",
                    HumanUnits.duration(quantizeTime), megabytesPerSecond(), HumanUnits.duration(totalTime)));
            StringBuilder counts = new StringBuilder("  tensors     ");
            typeCounts().forEach((t, n) -> counts.append(' ').append(t).append(" x").append(n));
            lines.add(counts.toString());
            Map<String, List<String>> byReason = new java.util.LinkedHashMap<>();
            for (TensorChoice c : result.fallbacks()) {
                byReason.computeIfAbsent(c.fallback(), r -> new ArrayList<>()).add(c.name());
            }
            byReason.forEach((reason, names) -> lines.add(ansi.style("  fallback     " + reason + ": "
                    + (names.size() == 1 ? names.getFirst() : names.size() + " tensors (" + names.getFirst() + ", ...)"),
                    Style.YELLOW)));
            return lines;
        }

        Map<String, Object> toJson(Path out) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("type", target.name());
            m.put("output", out == null ? null : out.toString());
            m.put("input_bytes", inputBytes);
            m.put("output_bytes", outputBytes());
            m.put("input_bits_per_weight", bitsPerWeight(source));
            m.put("bits_per_weight", bitsPerWeight(result.model()));
            m.put("quantize_seconds", quantizeTime.toNanos() / 1e9);
            m.put("total_seconds", totalTime.toNanos() / 1e9);
            Map<String, Integer> counts = new java.util.LinkedHashMap<>();
            typeCounts().forEach((t, n) -> counts.put(t.name(), n));
            m.put("tensor_types", counts);
            m.put("fallbacks", result.fallbacks().stream()
                    .map(c -> Map.of("tensor", c.name(), "type", c.to().name(), "reason", c.fallback())).toList());
            return m;
        }
    }
}
