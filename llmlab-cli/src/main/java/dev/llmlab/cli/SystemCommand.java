package dev.llmlab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.HumanUnits;
import dev.llmlab.cli.ui.Style;
import dev.llmlab.system.GpuInfo;
import dev.llmlab.system.LocalSystemSource;
import dev.llmlab.system.MemoryInfo;
import dev.llmlab.system.SystemDetector;
import dev.llmlab.system.SystemInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code llmlab system}: what this machine has and how the engine will run on it. */
@Command(name = "system", mixinStandardHelpOptions = true,
        description = "Show the CPU, memory, GPUs, JVM and how the engine will run on this machine.")
final class SystemCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--json", description = "One JSON object with every fact.")
    boolean json;

    SystemCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws JsonProcessingException {
        SystemInfo info = new SystemDetector(new LocalSystemSource(Duration.ofSeconds(5))).detect();
        PrintStream out = context.out();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode node = mapper.valueToTree(info);
            ((ObjectNode) node.get("memory")).put("usableBytes", info.memory().usableBytes());
            node.put("offHeapBytes", info.offHeapBytes());
            out.println(mapper.writeValueAsString(node));
        } else {
            render(info, new Ansi(context.stdout().ansi()), out);
        }
        out.flush();
        return 0;
    }

    private static void render(SystemInfo info, Ansi ansi, PrintStream out) {
        MemoryInfo memory = info.memory();
        out.println(ansi.style("Machine", Style.BOLD));
        row(out, "CPU", info.cpu().model());
        row(out, "cores", (info.cpu().physicalCores() > 0 ? info.cpu().physicalCores() + " physical, " : "")
                + info.cpu().logicalCores() + " logical");
        row(out, "SIMD", info.cpu().simdFlags().isEmpty() ? "none reported" : String.join(" ", info.cpu().simdFlags()));
        row(out, "RAM", HumanUnits.bytes(memory.totalBytes()) + " total, " + HumanUnits.bytes(memory.availableBytes())
                + " available");
        row(out, "container limit", memory.cgroupLimitBytes() < 0 ? "none"
                : HumanUnits.bytes(memory.cgroupLimitBytes()) + " (" + HumanUnits.bytes(Math.max(0,
                memory.cgroupUsedBytes())) + " used)");
        row(out, "GPUs", info.gpus().isEmpty() ? "none (the engine runs on the CPU)"
                : info.gpus().stream().map(SystemCommand::gpu).collect(Collectors.joining("; ")));
        row(out, "OS", info.jvm().osName() + " " + info.jvm().osVersion() + " (" + info.jvm().osArch() + ")");
        row(out, "Java", info.jvm().javaVersion() + " (" + info.jvm().vmName() + "; GC "
                + String.join(" + ", info.jvm().garbageCollectors()) + ")");
        row(out, "JVM max heap", HumanUnits.bytes(info.jvm().maxHeapBytes())
                + " (KV cache, activations, tokenizer live here; LLMLAB_JAVA_OPTS=-Xmx... changes it)");
        row(out, "off-heap", HumanUnits.bytes(info.offHeapBytes())
                + " usable for weights (usable RAM beyond the heap; the JVM puts no limit on it)");
        out.println();
        out.println(ansi.style("Engine", Style.BOLD));
        row(out, "threads", info.engine().threads() + " (--threads N)");
        row(out, "kernels", info.engine().kernels());
        row(out, "vector width", info.engine().vectorBits() > 0 ? info.engine().vectorBits() + " bits (Vector API "
                + "preferred species)" : "none (scalar kernels)");
        row(out, "precision", info.engine().precision());
    }

    private static String gpu(GpuInfo g) {
        return g.name() + (g.memoryBytes() > 0 ? " " + HumanUnits.bytes(g.memoryBytes()) : "") + " (driver "
                + g.driver() + ")";
    }

    private static void row(PrintStream out, String label, String value) {
        out.printf("  %-16s %s%n", label, value);
    }
}
