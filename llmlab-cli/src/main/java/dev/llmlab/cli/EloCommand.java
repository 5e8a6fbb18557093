package dev.llmlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.HumanUnits;
import dev.llmlab.cli.ui.Style;
import dev.llmlab.cli.ui.Table;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.hub.EloTable;
import dev.llmlab.hub.HubClient;
import dev.llmlab.hub.HubSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code llmlab elo [PATTERN]}: arena ratings of models, with their source and date, joined to hub ids. */
@Command(name = "elo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Arena (LMArena) text ratings, with the source and its date, joined to hub ids.",
                "The jar carries a snapshot; --refresh fetches the current leaderboard (LLMLAB_ARENA_URL)."})
final class EloCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATTERN",
            description = "Text the model name, vendor or hub id contains.")
    String pattern;

    @Option(names = "--refresh", description = "Fetch the current leaderboard first and keep it in the cache "
            + "directory (needs LLMLAB_ARENA_URL: a JSON leaderboard {meta, models} like the bundled snapshot).")
    boolean refresh;

    @Option(names = "--json", description = "{source, source_url, fetched_at, models: [...]}")
    boolean json;

    EloCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        HubSettings hub = context.hub();
        EloTable table;
        if (refresh) {
            if (hub.offline()) {
                throw new InvalidRequestException("--refresh needs the network, and offline mode is on: unset "
                        + "HF_HUB_OFFLINE and drop --offline");
            }
            if (hub.arenaUrl() == null) {
                throw new InvalidRequestException("--refresh needs LLMLAB_ARENA_URL: the URL of a JSON leaderboard "
                        + "{meta: {source_url, fetched_at}, models: [{rank, model, vendor, license, score, ci, votes}]}"
                        + " (the format of the arena.ai daily mirror the bundled snapshot comes from)");
            }
            table = EloTable.refresh(HubClient.create(hub), hub.arenaUrl(), hub.cacheDir());
            context.err().println("refreshed: " + table.ratings().size() + " models from " + hub.arenaUrl());
        } else {
            table = EloTable.load(hub.cacheDir());
        }
        List<EloTable.Rating> ratings = table.matching(pattern);
        if (json) {
            ObjectNode o = table.toJson();
            var models = o.putArray("models");
            ratings.forEach(r -> models.add(ratingJson(r)));
            context.out().println(new ObjectMapper().writeValueAsString(o));
        } else {
            Ansi ansi = new Ansi(context.stdout().ansi());
            if (ratings.isEmpty()) {
                context.out().println("No rated model matches '" + pattern + "'.");
            } else {
                Table t = new Table(List.of("Rank", "Model", "Vendor", "Licence", "ELO", "Votes", "Hub id"));
                ratings.forEach(r -> t.add(List.of(String.valueOf(r.rank()), r.model(), r.vendor(), r.license(),
                        r.score() + " ± " + r.ci(), HumanUnits.count(r.votes()),
                        r.hubIds().isEmpty() ? "–" : String.join(", ", r.hubIds()))));
                t.render(ansi).forEach(context.out()::println);
            }
            context.out().println();
            context.out().println(ansi.style(sourceLine(table), Style.BRIGHT_BLACK));
        }
        context.out().flush();
        return 0;
    }

    static String sourceLine(EloTable table) {
        EloTable.Source s = table.source();
        return "Source: " + s.name() + ", fetched " + s.date() + (s.url() != null ? " (" + s.url() + ")" : "");
    }

    static ObjectNode ratingJson(EloTable.Rating r) {
        ObjectNode m = new ObjectMapper().createObjectNode().put("rank", r.rank()).put("model", r.model())
                .put("vendor", r.vendor()).put("license", r.license()).put("score", r.score()).put("ci", r.ci())
                .put("votes", r.votes());
        r.hubIds().forEach(m.putArray("hub_ids")::add);
        return m;
    }

    /** {@code 1443 ± 6}, or {@code no rating}. */
    static String cell(Optional<EloTable.Rating> rating) {
        return rating.map(r -> r.score() + " ± " + r.ci()).orElse("no rating");
    }
}
