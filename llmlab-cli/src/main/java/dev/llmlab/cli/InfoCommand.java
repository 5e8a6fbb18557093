package dev.llmlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.HumanUnits;
import dev.llmlab.cli.ui.Style;
import dev.llmlab.cli.ui.Table;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.hub.EloTable;
import dev.llmlab.hub.HubApi;
import dev.llmlab.hub.HubClient;
import dev.llmlab.hub.HubModelInfo;
import dev.llmlab.hub.HubSettings;
import dev.llmlab.hub.ModelRef;
import dev.llmlab.hub.RepoFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code llmlab info REF}: what the hub knows about a model, before downloading it. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "A hub model's author, popularity, licence, task, size, GGUF quantizations and files.")
final class InfoCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "REF", description = "org/repo (a revision after @ is honoured).")
    String ref;

    @Option(names = "--json", description = "One JSON object.")
    boolean json;

    InfoCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (!(ModelRef.parse(ref) instanceof ModelRef.Hub hubRef)) {
            throw new InvalidRequestException("'" + ref + "' is a local path; info takes a hub id like org/repo");
        }
        HubSettings hub = context.hub();
        if (hub.offline()) {
            throw new InvalidRequestException("info asks the hub, and offline mode is on: unset HF_HUB_OFFLINE "
                    + "and drop --offline (`llmlab cache list` shows what is cached)");
        }
        HubModelInfo info = new HubApi(HubClient.create(hub)).info(hubRef.repo(), hubRef.revision());
        EloTable elo = EloTable.load(hub.cacheDir());
        Optional<EloTable.Rating> rating = elo.forHubId(info.id() != null ? info.id() : hubRef.repo());
        if (json) {
            ObjectNode o = toJson(info);
            if (rating.isPresent()) {
                o.set("elo", EloCommand.ratingJson(rating.get()).put("source", EloCommand.sourceLine(elo)));
            } else {
                o.putNull("elo");
            }
            context.out().println(new ObjectMapper().writeValueAsString(o));
        } else {
            String eloCell = EloCommand.cell(rating) + rating.map(r -> " (" + r.model() + ", arena "
                    + elo.source().date() + ")").orElse("");
            render(info, hubRef, eloCell, context.out(), new Ansi(context.stdout().ansi()));
        }
        context.out().flush();
        return 0;
    }

    static ObjectNode toJson(HubModelInfo info) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("id", info.id()).put("author", info.author()).put("sha", info.commit())
                .put("downloads", info.downloads()).put("likes", info.likes()).put("license", info.license())
                .put("pipeline_tag", info.pipelineTag()).put("last_modified", info.lastModified())
                .put("gated", info.gated()).put("total_size_bytes", info.totalBytes());
        if (info.parameters() > 0) {
            o.put("parameters", info.parameters());
        } else {
            o.putNull("parameters");
        }
        var quants = o.putArray("gguf_quants");
        for (HubModelInfo.GgufQuant q : info.ggufQuants()) {
            var qo = quants.addObject().put("quant", q.quant()).put("size_bytes", q.sizeBytes());
            q.files().forEach(qo.putArray("files")::add);
        }
        var files = o.putArray("files");
        for (RepoFile f : info.files()) {
            files.addObject().put("path", f.path()).put("size_bytes", f.sizeBytes()).put("lfs_sha256", f.lfsSha256());
        }
        return o;
    }

    private static void render(HubModelInfo info, ModelRef.Hub ref, String elo, PrintStream out, Ansi ansi) {
        out.println(ansi.style(info.id(), Style.BOLD) + "  " + ansi.style("(" + ref.revision()
                + (info.commit() != null ? " = " + info.commit().substring(0, Math.min(12, info.commit().length()))
                : "") + ")", Style.BRIGHT_BLACK));
        Table facts = new Table(List.of("", ""));
        facts.add(List.of("author", orDash(info.author())));
        facts.add(List.of("downloads", HumanUnits.count(info.downloads()) + " (30 days)"));
        facts.add(List.of("likes", HumanUnits.count(info.likes())));
        facts.add(List.of("licence", orDash(info.license()) + (info.gated() ? " (gated: accept it on the model page)"
                : "")));
        facts.add(List.of("pipeline", orDash(info.pipelineTag())));
        facts.add(List.of("parameters", info.parameters() > 0 ? HumanUnits.count(info.parameters()) : "unknown"));
        facts.add(List.of("ELO", elo));
        facts.add(List.of("files", info.files().size() + " (" + HumanUnits.bytes(info.totalBytes()) + ")"));
        facts.add(List.of("last modified", orDash(info.lastModified())));
        facts.render(ansi).stream().skip(2).forEach(l -> out.println("  " + l));
        List<HubModelInfo.GgufQuant> quants = info.ggufQuants();
        if (!quants.isEmpty()) {
            out.println();
            Table table = new Table(List.of("GGUF quant", "Size", "Files"));
            quants.forEach(q -> table.add(List.of(q.quant(), HumanUnits.bytes(q.sizeBytes()),
                    q.files().size() == 1 ? q.files().getFirst() : q.files().size() + " parts")));
            table.render(ansi).forEach(out::println);
        }
        out.println();
        Table files = new Table(List.of("File", "Size"));
        info.files().forEach(f -> files.add(List.of(f.path(), f.sizeBytes() >= 0 ? HumanUnits.bytes(f.sizeBytes())
                : "?")));
        files.render(ansi).forEach(out::println);
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "–" : s;
    }
}
