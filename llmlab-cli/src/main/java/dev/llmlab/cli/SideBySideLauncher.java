package dev.llmlab.cli;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.error.UnsupportedModelException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Runs llmlab-bench's {@code dev.llmlab.bench.SideBySide} (llmlab and llama.cpp on one GGUF file, alternating) in
 * a child JVM on the bench jar, so that llama.cpp's native code and its Java binding never enter the runtime's
 * classpath: the CLI depends on neither. The child's output is copied to ours and its exit code is the result.
 *
 * @param java     the java binary to start (the running one)
 * @param benchJar llmlab-bench's shaded jar
 */
record SideBySideLauncher(Path java, Path benchJar) {
    static final String ENGINE = "llama.cpp";
    static final String MAIN_CLASS = "dev.llmlab.bench.SideBySide";
    static final String BUILD_COMMAND = "./mvnw -pl llmlab-core,llmlab-bench -am -DskipTests package";
    private static final Path JAR_IN_TREE = Path.of("llmlab-bench", "target", "benchmarks.jar");

    /**
     * What to measure, in SideBySide's options.
     *
     * @param prompts prompt sizes (pp tests), possibly none
     * @param gen     generated tokens (the tg test), 0 for none
     */
    record Request(Path model, int threads, int reps, int warmup, List<Integer> prompts, int gen, boolean json) {
        Request {
            prompts = List.copyOf(prompts);
        }

        List<String> arguments() {
            List<String> args = new ArrayList<>(List.of(model.toString(), "--threads", Integer.toString(threads),
                    "--reps", Integer.toString(reps), "--warmup", Integer.toString(warmup),
                    "--prompts", prompts.isEmpty() ? "0" : prompts.stream().map(String::valueOf)
                            .collect(Collectors.joining(",")), "--gen", Integer.toString(gen)));
            if (json) {
                args.add("--json");
            }
            return args;
        }
    }

    /**
     * The launcher for this JVM: {@code configuredJar} (LLMLAB_BENCH_JAR) if given, else the bench jar of the
     * source tree this CLI was built in; a jar that is not there is refused with the command that builds it.
     */
    static SideBySideLauncher locate(Path configuredJar) {
        Path jar = configuredJar != null ? configuredJar : jarInTree(runningCode());
        if (!Files.isRegularFile(jar)) {
            throw new InvalidRequestException("--compare " + ENGINE + " runs in the llmlab-bench jar (it holds "
                    + "llama.cpp's binding, kept out of llmlab itself), not found: " + jar
                    + (configuredJar != null ? " (LLMLAB_BENCH_JAR)" : "") + "; build it with `" + BUILD_COMMAND
                    + "` and run from the source tree, or set LLMLAB_BENCH_JAR to llmlab-bench/target/benchmarks.jar");
        }
        Path java = ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
        return new SideBySideLauncher(java, jar);
    }

    /**
     * The bench jar next to this code: {@code <root>/llmlab-cli/target/llmlab.jar} (or {@code target/classes}
     * when run from the build) gives {@code <root>/llmlab-bench/target/benchmarks.jar}.
     */
    static Path jarInTree(Path runningCode) {
        Path module = runningCode.toAbsolutePath().getParent() == null ? null
                : runningCode.toAbsolutePath().getParent().getParent();
        Path root = module == null || module.getParent() == null ? Path.of("") : module.getParent();
        return root.resolve(JAR_IN_TREE);
    }

    /** llama.cpp reads GGUF only: a Hugging Face directory or another file is refused with the way to convert. */
    static Path requireGguf(Path model) {
        if (Files.isDirectory(model) || !model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gguf")) {
            throw new UnsupportedModelException("--compare " + ENGINE + " needs a GGUF file (llama.cpp reads "
                    + "GGUF only), got " + model + "; convert it first with `llmlab convert " + model
                    + " OUT.gguf` and bench OUT.gguf");
        }
        return model;
    }

    /** The child JVM's command line. */
    List<String> command(Request request) {
        List<String> command = new ArrayList<>(List.of(java.toString(), "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-cp", benchJar.toString(), MAIN_CLASS));
        command.addAll(request.arguments());
        return command;
    }

    /** Runs the child JVM, copying its stdout and stderr to ours, and returns its exit code. */
    int run(Request request, OutputStream out, OutputStream err) {
        Process process;
        try {
            process = new ProcessBuilder(command(request)).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + java + " for --compare " + ENGINE + ": "
                    + e.getMessage(), e);
        }
        Thread errCopy = Thread.ofVirtual().start(() -> copy(process.getErrorStream(), err));
        try {
            copy(process.getInputStream(), out);
            int code = process.waitFor();
            errCopy.join();
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new InvalidRequestException("--compare " + ENGINE + " was interrupted; the child JVM was stopped");
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    private static void copy(InputStream from, OutputStream to) {
        try (from) {
            byte[] buffer = new byte[8192];
            for (int n; (n = from.read(buffer)) >= 0; ) {
                to.write(buffer, 0, n);
                to.flush(); // progress lines show as they come
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path runningCode() {
        try {
            return Path.of(SideBySideLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the running code's location is not a file: " + e.getMessage(), e);
        }
    }
}
