package dev.llmlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.HumanUnits;
import dev.llmlab.cli.ui.Table;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.error.ModelNotFoundException;
import dev.llmlab.hub.HubCache;
import dev.llmlab.hub.ModelRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** {@code llmlab cache list | rm REF}: what the Hugging Face style model cache holds, and removing from it. */
@Command(name = "cache", mixinStandardHelpOptions = true,
        description = {"The model cache (Hugging Face layout, shared with Python tools): list it or remove from it.",
                "Location: LLMLAB_CACHE, else HF_HUB_CACHE, else $HF_HOME/hub, else ./models_cache."})
final class CacheCommand implements Runnable {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    private final CliContext context;

    @Spec
    private CommandSpec spec;

    CacheCommand(CliContext context) {
        this.context = context;
    }

    /** Without a subcommand: show the help. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Cached repositories: size on disk, files, revisions, last used (UTC).")
    int list(@Option(names = "--json", description = "A JSON array of {repo, path, size_bytes, files, "
            + "revisions, last_used}.") boolean json) throws IOException {
        HubCache cache = new HubCache(context.hub().cacheDir());
        List<HubCache.Entry> entries = cache.entries();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ArrayNode array = mapper.createArrayNode();
            for (HubCache.Entry e : entries) {
                ObjectNode o = array.addObject().put("repo", e.repo()).put("path", e.dir().toString())
                        .put("size_bytes", e.sizeBytes()).put("files", e.files())
                        .put("last_used", e.lastUsed().toString());
                e.revisions().forEach(o.putArray("revisions")::add);
            }
            context.out().println(mapper.writeValueAsString(array));
        } else if (entries.isEmpty()) {
            context.out().println("The cache " + cache.root().toAbsolutePath() + " holds no models.");
        } else {
            Table table = new Table(List.of("Repository", "Size", "Files", "Revisions", "Last used"));
            long total = 0;
            for (HubCache.Entry e : entries) {
                total += e.sizeBytes();
                table.add(List.of(e.repo(), HumanUnits.bytes(e.sizeBytes()), String.valueOf(e.files()),
                        String.join(", ", e.revisions()), WHEN.format(e.lastUsed())));
            }
            table.render(new Ansi(context.stdout().ansi())).forEach(context.out()::println);
            context.out().println();
            context.out().println(entries.size() + (entries.size() == 1 ? " repository, " : " repositories, ")
                    + HumanUnits.bytes(total) + " in " + cache.root().toAbsolutePath());
        }
        context.out().flush();
        return 0;
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = "Remove a repository from the cache (org/repo), or one revision of it (org/repo@rev).")
    int rm(@Parameters(paramLabel = "REF", description = "org/repo or org/repo@revision") String text)
            throws IOException {
        if (!(ModelRef.parse(text) instanceof ModelRef.Hub ref)) {
            throw new InvalidRequestException("'" + text + "' is a local path; cache rm takes a hub id like org/repo");
        }
        if (ref.file() != null || ref.quant() != null) {
            throw new InvalidRequestException("cache rm removes a repository or one revision of it, not a file: "
                    + "give " + ref.repo() + " or " + ref.repo() + "@REVISION");
        }
        HubCache cache = new HubCache(context.hub().cacheDir());
        if (!Files.isDirectory(cache.repoDir(ref.repo()))) {
            throw new ModelNotFoundException(ref.repo() + " is not in the cache " + cache.root().toAbsolutePath()
                    + "; see `llmlab cache list`");
        }
        String revision = text.contains("@") ? ref.revision() : null;
        long freed = cache.remove(ref.repo(), revision);
        context.out().println("removed " + ref.repo() + (revision != null ? "@" + revision : "") + " ("
                + HumanUnits.bytes(freed) + " freed)");
        context.out().flush();
        return 0;
    }
}
