package dev.llmlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.TerminalCapabilities;
import dev.llmlab.experiment.ExperimentRegistry;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.OutputStream;
import java.io.PrintStream;

import static org.assertj.core.api.Assertions.assertThat;

class ListAndUsageTest {

    @Test
    void listShowsATableOfExperiments() {
        CliRun r = CliRun.plain("list");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("#  Name").contains("1  basic-generation  Stream a short story");
        assertThat(Ansi.hasEscapes(r.out())).isFalse();
    }

    @Test
    void listJsonIsAnArray() throws Exception {
        CliRun r = CliRun.plain("list", "--json");
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.isArray()).isTrue();
        assertThat(json.get(0).get("number").asInt()).isEqualTo(1);
        assertThat(json.get(0).get("name").asText()).isEqualTo("basic-generation");
    }

    @Test
    void versionAndHelp() {
        CliRun version = CliRun.plain("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("llmlab 0.1.0").contains("Java 25");
        CliRun help = CliRun.plain("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("run", "generate", "tokenize", "bench", "synth", "LLMLAB_MODEL_PATH");
        CliRun runHelp = CliRun.plain("run", "--help");
        assertThat(runHelp.out()).contains("--temperature=T", "(default: 0.8)", "--[no-]mmap",
                "stories260K.gguf", "(default: 42)");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(CliRun.plain("run").exitCode()).isEqualTo(2);
        assertThat(CliRun.plain("generate").exitCode()).isEqualTo(2);
        CliRun badNumber = CliRun.plain("run", "1", "--temperature", "warm");
        assertThat(badNumber.exitCode()).isEqualTo(2);
        assertThat(badNumber.err()).contains("--temperature").contains("warm");
        assertThat(CliRun.plain("frobnicate").exitCode()).isEqualTo(2);
        assertThat(CliRun.plain("tokenize", "--text", "a", "--file", "b").exitCode()).isEqualTo(2);
    }

    @Test
    void unknownExperimentListsTheValidOnes() {
        CliRun r = CliRun.plain("run", "99");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: unknown experiment '99'; valid: 1 (basic-generation)")
                .endsWith(" (see `llmlab list`)\n").doesNotContain("\n\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void invalidSamplingValueIsOneClearLine() {
        CliRun r = CliRun.plain("generate", "--prompt", "x", "--top-p", "0");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: top-p must be in (0, 1]").doesNotContain("at dev.llmlab");
    }

    @Test
    void everyCommandInTheListIsOneWholeSentence() {
        // the command list shows only the first description line: it must not stop mid-sentence
        CliEnvironment env = new CliEnvironment(CliRun.sharedModelsEnv(), TerminalCapabilities.plain(80),
                TerminalCapabilities.plain(80));
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        CommandLine cli = Main.commandLine(env, CliInput.none(), sink, sink, ExperimentRegistry.defaults());
        cli.getSubcommands().forEach((name, sub) -> {
            String first = sub.getCommandSpec().usageMessage().description()[0];
            assertThat(first).as(name).endsWith(".");
        });
    }

    @Test
    void quantizeHelpListsTheTypes() {
        CliRun r = CliRun.plain("quantize", "--help");
        assertThat(r.out()).doesNotContain("null").contains("Q4_K_M").contains("IQ4_XS");
    }
}
