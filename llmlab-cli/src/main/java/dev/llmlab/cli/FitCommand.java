package dev.llmlab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.HumanUnits;
import dev.llmlab.cli.ui.Style;
import dev.llmlab.cli.ui.Table;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgmlType;
import dev.llmlab.hub.ModelRef;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.ArchitectureRegistry;
import dev.llmlab.system.InferenceEstimate;
import dev.llmlab.system.LocalSystemSource;
import dev.llmlab.system.MemoryEstimator;
import dev.llmlab.system.MemoryTerm;
import dev.llmlab.system.ModelHeader;
import dev.llmlab.system.ModelHeaders;
import dev.llmlab.system.RuntimeProfile;
import dev.llmlab.system.SystemDetector;
import dev.llmlab.system.SystemInfo;
import dev.llmlab.system.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code llmlab fit REF}: the memory a model needs here, term by term, and whether it fits. */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Estimate the memory a model needs (from its header only) and whether it fits this machine."})
final class FitCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "REF", description = "A .gguf file, a directory or a hub id.")
    String model;

    @Option(names = "--context", paramLabel = "N", description = "Context length in tokens (default: the model's, "
            + "at most 4096, as generate allocates).")
    int contextLength;

    @Option(names = "--dtype", paramLabel = "T", description = "Estimate the weights stored as this type instead "
            + "(F32, F16, BF16, Q8_0, Q4_0, ...).")
    String dtype;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for matrix work (default: all processors).")
    int threads;

    @Option(names = "--mmap", description = "Estimate for a memory-mapped file (default: read into memory).")
    boolean mmap;

    @Option(names = "--json", description = "One JSON object: the breakdown, inference_bytes and verdict.")
    boolean json;

    FitCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws JsonProcessingException {
        LocalSystemSource source = new LocalSystemSource(Duration.ofSeconds(5));
        RuntimeProfile runtime = RuntimeProfile.measure(source).orElseThrow(() -> new InvalidRequestException(
                "cannot measure the JVM's memory here (no /proc/self/status): fit needs Linux"));
        SystemInfo system = new SystemDetector(source).detect();
        Path file = context.env().modelResolver().resolve(ModelRef.parse(model));
        ModelHeader header = ModelHeaders.gguf(file, ArchitectureRegistry.defaults());
        if (dtype != null) {
            header = header.retyped(parseType(dtype));
        }
        int threadCount = threads > 0 ? threads : system.engine().threads();
        InferenceEstimate estimate = new MemoryEstimator(runtime).inference(header, contextLength,
                mmap ? LoadMode.MMAP : LoadMode.READ, threadCount);
        Verdict verdict = Verdict.judge(estimate.totalBytes(), estimate.heapBytes(), system.memory(),
                system.jvm().maxHeapBytes());
        PrintStream out = context.out();
        if (json) {
            out.println(toJson(estimate, verdict));
        } else {
            render(estimate, verdict, new Ansi(context.stdout().ansi()), out);
        }
        out.flush();
        return 0;
    }

    static GgmlType parseType(String name) {
        try {
            return GgmlType.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("unknown --dtype '" + name + "': use one of " + List.of(GgmlType.values()));
        }
    }

    private static String toJson(InferenceEstimate e, Verdict verdict) throws JsonProcessingException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("model", e.model().name()).put("source", e.model().source())
                .put("parameters", e.model().parameterCount()).put("context", e.contextLength())
                .put("threads", e.threads());
        ArrayNode terms = root.putArray("inference");
        for (MemoryTerm t : e.terms()) {
            terms.addObject().put("name", t.name()).put("bytes", t.bytes())
                    .put("place", t.place().name().toLowerCase(Locale.ROOT)).put("basis", t.basis());
        }
        root.put("inference_bytes", e.totalBytes()).put("heap_bytes", e.heapBytes())
                .put("verdict", verdict.level().label()).put("verdict_reason", verdict.reason());
        return mapper.writeValueAsString(root);
    }

    private static void render(InferenceEstimate e, Verdict verdict, Ansi ansi, PrintStream out) {
        ModelHeader m = e.model();
        out.println(ansi.style(m.name(), Style.BOLD) + "  " + m.config().architecture() + ", "
                + HumanUnits.count(m.parameterCount()) + " params, context " + e.contextLength() + ", "
                + e.threads() + " threads");
        Table table = new Table(List.of("inference memory", "bytes", "", "how"));
        for (MemoryTerm t : e.terms()) {
            table.add(List.of(t.name(), HumanUnits.bytes(t.bytes()), t.place().name().toLowerCase(Locale.ROOT)
                    .replace('_', ' '), t.basis()));
        }
        table.add(List.of("total (peak resident)", HumanUnits.bytes(e.totalBytes()), "", "of which heap "
                + HumanUnits.bytes(e.heapBytes())));
        table.render(ansi).forEach(out::println);
        out.println();
        Style style = switch (verdict.level()) {
            case FITS -> Style.GREEN;
            case TIGHT -> Style.YELLOW;
            case DOES_NOT_FIT -> Style.RED;
        };
        out.println(ansi.style(verdict.level().label(), style) + ": " + verdict.reason());
    }
}
