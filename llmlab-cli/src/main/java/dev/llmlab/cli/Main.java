package dev.llmlab.cli;

import dev.llmlab.experiment.ExperimentRegistry;
import picocli.CommandLine;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The {@code llmlab} command line. Reads the environment once, wires the commands, and is the only place
 * that exits the process.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // charts are drawn off-screen: never try to reach a display
        System.setProperty("java.awt.headless", "true");
        // UTF-8 regardless of the locale: generated text and box drawing are Unicode.
        PrintStream out = utf8(FileDescriptor.out, false);
        PrintStream err = utf8(FileDescriptor.err, true);
        int exitCode = run(args, CliEnvironment.detect(System.getenv()), CliInput.system(System.getenv()), out, err);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }

    /** Runs one command line with nothing on stdin and returns its exit code: 0 ok, 1 runtime failure, 2 usage error. */
    public static int run(String[] args, CliEnvironment env, PrintStream out, PrintStream err) {
        return run(args, env, CliInput.none(), out, err);
    }

    /** Runs one command line reading {@code in} (for {@code chat}); see {@link #run(String[], CliEnvironment, PrintStream, PrintStream)}. */
    static int run(String[] args, CliEnvironment env, CliInput in, PrintStream out, PrintStream err) {
        return commandLine(env, in, out, err, ExperimentRegistry.defaults()).execute(args);
    }

    static CommandLine commandLine(CliEnvironment env, CliInput in, PrintStream out, PrintStream err,
                                   ExperimentRegistry experiments) {
        LlmlabCommand root = new LlmlabCommand();
        CliContext context = new CliContext(env, in, out, err, experiments, root);
        CommandLine cli = new CommandLine(root)
                .addSubcommand("list", new ListCommand(context))
                .addSubcommand("run", new RunCommand(context))
                .addSubcommand("runs", new RunsCommand(context))
                .addSubcommand("compare", new CompareCommand(context))
                .addSubcommand("report", new ReportCommand(context))
                .addSubcommand("generate", new GenerateCommand(context))
                .addSubcommand("chat", new ChatCommand(context))
                .addSubcommand("tokenize", new TokenizeCommand(context))
                .addSubcommand("bench", new BenchCommand(context))
                .addSubcommand("synth", new SynthCommand(context))
                .addSubcommand("convert", new ConvertCommand(context))
                .addSubcommand("cache", new CacheCommand(context))
                .addSubcommand("system", new SystemCommand(context))
                .addSubcommand("quantize", new QuantizeCommand(context))
                .addSubcommand("modify", new ModifyCommand(context))
                .addSubcommand("info", new InfoCommand(context))
                .addSubcommand("search", new SearchCommand(context))
                .addSubcommand("download", new DownloadCommand(context))
                .addSubcommand("elo", new EloCommand(context))
                .addSubcommand("serve", new ServeCommand(context))
                .addSubcommand("fit", new FitCommand(context));
        cli.setDefaultValueProvider(new CliDefaults());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(
                env.stdout().ansi() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
        cli.setExecutionExceptionHandler(new FailureHandler(context));
        return cli;
    }

    /** Views flush stdout when a person should see something; stderr flushes every line. */
    private static PrintStream utf8(FileDescriptor fd, boolean autoFlush) {
        return new PrintStream(new BufferedOutputStream(new FileOutputStream(fd), 1 << 14), autoFlush,
                StandardCharsets.UTF_8);
    }
}
