package dev.llmlab.cli;

import dev.llmlab.cli.ui.TerminalCapabilities;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench --compare llama.cpp}: what the CLI checks before starting the child JVM, and how it starts it.
 * The real child (llmlab-bench's SideBySide with llama.cpp) is tested in llmlab-bench (SideBySideTest); its jar
 * is built after this module's tests, so here the child is a stand-in jar that echoes what it was given.
 */
class BenchCompareTest {
    private static final String MODEL = Fixtures.sharedFile("models/stories260K.gguf").toString();

    @Test
    void anotherEngineIsAUsageErrorNamingTheAcceptedOne() {
        CliRun r = CliRun.plain("bench", "--model", MODEL, "--compare", "foo");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--compare accepts only llama.cpp, got 'foo'");
    }

    @Test
    void severalPromptSizesWithoutCompareAreAUsageError() {
        CliRun r = CliRun.plain("bench", "--model", MODEL, "-p", "128,512");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("several prompt sizes (-p 128,512) need --compare llama.cpp");
    }

    @Test
    void aMissingBenchJarNamesItAndTheBuildCommand(@TempDir Path dir) {
        Path jar = dir.resolve("absent/benchmarks.jar");
        CliRun r = runWithJar(jar, "bench", "--model", MODEL, "--compare", "llama.cpp");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("not found: " + jar + " (LLMLAB_BENCH_JAR)")
                .contains("./mvnw -pl llmlab-core,llmlab-bench -am -DskipTests package");
    }

    @Test
    void aHuggingFaceDirectoryIsRefusedWithTheConversion(@TempDir Path dir) {
        String hf = Fixtures.sharedFile("fixtures/hf/tiny-llama/config.json").getParent().toString();
        CliRun r = runWithJar(dir.resolve("benchmarks.jar"), "bench", "--model", hf, "--compare", "llama.cpp");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("needs a GGUF file (llama.cpp reads GGUF only)")
                .contains("llmlab convert " + hf + " OUT.gguf");
    }

    @Test
    void theBenchJarIsFoundNextToTheCliInTheSourceTree() {
        Path root = Path.of("/src/llmlab");
        Path expected = root.resolve("llmlab-bench/target/benchmarks.jar");
        assertThat(SideBySideLauncher.jarInTree(root.resolve("llmlab-cli/target/llmlab.jar"))).isEqualTo(expected);
        assertThat(SideBySideLauncher.jarInTree(root.resolve("llmlab-cli/target/classes"))).isEqualTo(expected);
    }

    @Test
    void theChildGetsTheOptionsAndItsOutputAndExitCodeComeBack(@TempDir Path dir) throws Exception {
        Path jar = standInJar(dir, 3);
        CliRun r = runWithJar(jar, "bench", "--model", MODEL, "--compare", "llama.cpp", "--threads", "1",
                "-r", "2", "-p", "16,32", "-n", "8", "--warmup", "0", "--json");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("args: " + MODEL + " --threads 1 --reps 2 --warmup 0 --prompts 16,32 "
                + "--gen 8 --json\n");
        assertThat(r.err()).contains("llmlab and llama.cpp on " + MODEL).contains("stand-in stderr");
    }

    @Test
    void compareDefaultsToPp128Pp512AndTg64(@TempDir Path dir) throws Exception {
        CliRun r = runWithJar(standInJar(dir, 0), "bench", "--model", MODEL, "--compare", "llama.cpp",
                "--threads", "2");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("args: " + MODEL + " --threads 2 --reps 3 --warmup 1 --prompts 128,512 "
                + "--gen 64\n");
    }

    private static CliRun runWithJar(Path jar, String... args) {
        Map<String, String> env = CliRun.sharedModelsEnv();
        env.put("LLMLAB_BENCH_JAR", jar.toString());
        return CliRun.run(env, TerminalCapabilities.plain(80), args);
    }

    /** A jar whose SideBySide prints its arguments to stdout, a line to stderr, and exits with {@code code}. */
    private static Path standInJar(Path dir, int code) throws Exception {
        Path source = dir.resolve("src/dev/llmlab/bench/SideBySide.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package dev.llmlab.bench;
                public final class SideBySide {
                    public static void main(String[] args) {
                        System.out.println("args: " + String.join(" ", args));
                        System.err.println("stand-in stderr");
                        System.exit(%d);
                    }
                }
                """.formatted(code));
        Path classes = dir.resolve("classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, "-d", classes.toString(), source.toString())).isZero();
        Path jar = dir.resolve("benchmarks.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            String entry = "dev/llmlab/bench/SideBySide.class";
            out.putNextEntry(new JarEntry(entry));
            out.write(Files.readAllBytes(classes.resolve(entry)));
            out.closeEntry();
        }
        return jar;
    }
}
