package dev.llmlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.hub.HubSettings;
import dev.llmlab.hub.ModelRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code llmlab download REF}: brings a hub model into the cache (resuming, verifying) and prints its path. */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download a hub model into the cache and print the path to load (progress on stderr).",
                "REF: org/repo (the Q4_K_M GGUF, else the first; or the safetensors files), org/repo:QUANT,",
                "org/repo/path/file.gguf, with @revision. Interrupted downloads resume; hashes are checked."})
final class DownloadCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "REF", description = "The hub model.")
    String ref;

    @Option(names = "--json", description = "{\"ref\": ..., \"path\": ...}")
    boolean json;

    DownloadCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (!(ModelRef.parse(ref) instanceof ModelRef.Hub hubRef)) {
            throw new InvalidRequestException("'" + ref + "' is a local path; download takes a hub id like org/repo");
        }
        HubSettings hub = context.hub();
        if (hub.offline()) {
            throw new InvalidRequestException("download needs the network, and offline mode is on: unset "
                    + "HF_HUB_OFFLINE and drop --offline");
        }
        Path path = context.downloader(hub).fetch(hubRef);
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            context.out().println(mapper.writeValueAsString(mapper.createObjectNode().put("ref", hubRef.toString())
                    .put("path", path.toAbsolutePath().toString())));
        } else {
            context.out().println(path.toAbsolutePath());
        }
        context.out().flush();
        return 0;
    }
}
