package dev.llmlab.cli;

import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.ModelLine;
import dev.llmlab.cli.ui.Style;
import dev.llmlab.generate.Generator;
import dev.llmlab.generate.LocalGenerator;
import dev.llmlab.model.LocalModel;
import dev.llmlab.server.OpenAiServer;
import dev.llmlab.server.ServedModel;
import dev.llmlab.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code llmlab serve}: the selected model behind an OpenAI-compatible HTTP API until Ctrl-C (or until the
 * thread running it is interrupted, which is how tests stop it).
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve a model over an OpenAI-compatible HTTP API (completions, chat, streaming).",
                "Binds to 127.0.0.1 unless --host says otherwise; Ctrl-C stops it."})
final class ServeCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = ServerConfig.LOOPBACK,
            description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 exposes it to the network).")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + ServerConfig.DEFAULT_PORT,
            description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Require 'Authorization: Bearer KEY' on every route but /health.")
    String apiKey;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
            description = "Generations that run at once, each in its own session over the one loaded model "
                    + "(default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--queue", paramLabel = "N", defaultValue = "" + ServerConfig.DEFAULT_QUEUE,
            description = "Requests that may wait for a session; more are answered 429 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "" + ServerConfig.DEFAULT_MAX_BODY_BYTES,
            description = "Largest request body; larger ones are answered 413 (default: ${DEFAULT-VALUE}).")
    long maxBody;

    @Option(names = "--name", paramLabel = "ID",
            description = "The model id clients send (default: the model file's name without .gguf).")
    String name;

    @Mixin
    ModelOptions model = new ModelOptions();

    ServeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        ServerConfig config = new ServerConfig(host, port, apiKey, parallel, queue, maxBody);
        Logger helidon = Logger.getLogger("io.helidon"); // its start-up INFO lines repeat what we print
        helidon.setLevel(Level.WARNING);
        Logger listener = Logger.getLogger("io.helidon.webserver.LoomServer"); // a failed bind: we say it in one line
        listener.setLevel(Level.OFF);
        PrintStream out = context.out();
        Ansi ansi = new Ansi(context.stdout().ansi());
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = stopOnCtrlC(Thread.currentThread(), closed);
        try (LocalModel loaded = model.load(context.modelResolver(), model.loadOptions())) {
            out.println(ModelLine.describe(loaded.info(), ansi));
            List<Generator> generators = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                generators.add(new LocalGenerator(loaded));
            }
            String id = name != null ? name : fileStem(loaded);
            ServedModel served = new ServedModel(id, loaded.info().contextLength(), System.currentTimeMillis() / 1000);
            try (OpenAiServer server = OpenAiServer.start(config, served, generators)) {
                printBanner(out, ansi, server, id);
                try {
                    new CountDownLatch(1).await(); // until Ctrl-C or an interrupt
                } catch (InterruptedException stop) {
                    out.println("stopping: closing connections and sessions");
                    out.flush();
                }
            }
            out.println("stopped");
            out.flush();
            return 0;
        } finally {
            closed.countDown();
            removeHook(hook);
        }
    }

    private void printBanner(PrintStream out, Ansi ansi, OpenAiServer server, String id) {
        out.println(ansi.style("Serving ", Style.DIM) + ansi.style(id, Style.BOLD) + " at "
                + ansi.style(server.address() + "/v1", Style.BOLD) + " (" + parallel
                + (parallel == 1 ? " session" : " sessions") + ", queue " + queue
                + (apiKey != null ? ", API key required" : "") + ")");
        for (String route : OpenAiServer.ROUTES) {
            out.println("  " + route);
        }
        out.println("Ctrl-C stops the server.");
        out.flush();
    }

    /** On Ctrl-C, interrupts the serving thread and holds the JVM until the server has closed (at most 10 s). */
    private static Thread stopOnCtrlC(Thread serving, CountDownLatch closed) {
        Thread hook = new Thread(() -> {
            serving.interrupt();
            try {
                closed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "llmlab-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running and returns now that the server is closed
        }
    }

    private static String fileStem(LocalModel loaded) {
        String file = loaded.info().file().getFileName().toString();
        return file.endsWith(".gguf") ? file.substring(0, file.length() - ".gguf".length()) : file;
    }
}
