package dev.llmlab.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level {@code llmlab} command: global options; the work is in the subcommands. */
@Command(name = "llmlab", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Run, compare and understand LLMs locally, in pure Java.",
        footer = {"", "Models: --model takes a .gguf file, a directory, or a hub id (org/repo[/file][:QUANT]).",
                "Hub ids are found in the cache (LLMLAB_CACHE, HF_HUB_CACHE, HF_HOME), then LLMLAB_MODEL_PATH",
                "(directories separated by '${sys:path.separator}'), then downloaded (HF_ENDPOINT, HF_TOKEN) unless "
                        + "--offline / HF_HUB_OFFLINE=1.",
                "Exit codes: 0 ok, 1 runtime failure, 2 usage error."})
final class LlmlabCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show stack traces of errors.")
    private boolean verbose;

    @Option(names = "--no-color", scope = ScopeType.INHERIT,
            description = "No colours or cursor movement (also: NO_COLOR=1).")
    private boolean noColor;

    @Option(names = "--offline", scope = ScopeType.INHERIT,
            description = "Use only the model cache, never the network (also: HF_HUB_OFFLINE=1).")
    private boolean offline;

    boolean verbose() {
        return verbose;
    }

    boolean noColor() {
        return noColor;
    }

    boolean offline() {
        return offline;
    }

    /** Without a subcommand: show the help. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
