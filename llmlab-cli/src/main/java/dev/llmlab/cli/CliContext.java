package dev.llmlab.cli;

import dev.llmlab.cli.ui.TerminalCapabilities;
import dev.llmlab.experiment.ExperimentRegistry;
import dev.llmlab.cli.ui.DownloadProgressView;
import dev.llmlab.generate.Ticker;
import dev.llmlab.hub.HubCache;
import dev.llmlab.hub.HubClient;
import dev.llmlab.hub.HubDownloader;
import dev.llmlab.hub.HubSettings;
import dev.llmlab.hub.ModelResolver;

import java.io.PrintStream;

/**
 * What every command works with: the environment, the input and output streams, the experiments, and the
 * global options (parsed into {@code root} before a subcommand runs).
 */
record CliContext(CliEnvironment env, CliInput in, PrintStream out, PrintStream err, ExperimentRegistry experiments,
                  LlmlabCommand root) {

    /** Standard output's capabilities, with {@code --no-color} applied. */
    TerminalCapabilities stdout() {
        return root.noColor() ? env.stdout().withoutAnsi() : env.stdout();
    }

    /** The hub settings from the environment, with {@code --offline} applied. */
    HubSettings hub() {
        return env.hubSettings().withOffline(root.offline());
    }

    /** Resolves model refs: the cache, the search path, then (online) the hub, with progress on stderr. */
    ModelResolver modelResolver() {
        HubSettings hub = hub();
        return ModelResolver.of(hub, hub.offline() ? null : downloader(hub));
    }

    /** Downloads into the cache, drawing progress on stderr. */
    HubDownloader downloader(HubSettings hub) {
        return new HubDownloader(HubClient.create(hub), new HubCache(hub.cacheDir()),
                new DownloadProgressView(err, stderr(), Ticker.system()));
    }

    /** Standard error's capabilities, with {@code --no-color} applied. */
    TerminalCapabilities stderr() {
        return root.noColor() ? env.stderr().withoutAnsi() : env.stderr();
    }
}
