package dev.llmlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.HumanUnits;
import dev.llmlab.cli.ui.Style;
import dev.llmlab.cli.ui.Table;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.hub.EloTable;
import dev.llmlab.hub.HubApi;
import dev.llmlab.hub.HubClient;
import dev.llmlab.hub.HubSettings;
import dev.llmlab.hub.SearchHit;
import dev.llmlab.hub.SearchQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code llmlab search PATTERN}: models on the hub, most popular first. */
@Command(name = "search", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Search the hub's models: a table of ids with downloads, likes and trend.")
final class SearchCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATTERN", description = "Text the model id contains.")
    String pattern = "";

    @Option(names = "--sort", paramLabel = "ORDER", defaultValue = "downloads",
            description = "downloads, likes or trending (default: ${DEFAULT-VALUE}).")
    String sort;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N models "
            + "(default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--filter", paramLabel = "TAG", description = "Only models with this tag: gguf, "
            + "text-generation, safetensors, a library or a licence tag...")
    String filter;

    @Option(names = "--json", description = "A JSON array of {id, downloads, likes, trending_score, pipeline_tag, "
            + "last_modified, elo}.")
    boolean json;

    SearchCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        SearchQuery.Sort order = switch (sort.toLowerCase(Locale.ROOT)) {
            case "downloads" -> SearchQuery.Sort.DOWNLOADS;
            case "likes" -> SearchQuery.Sort.LIKES;
            case "trending" -> SearchQuery.Sort.TRENDING;
            default -> throw new InvalidRequestException("--sort must be downloads, likes or trending, not '" + sort
                    + "'");
        };
        SearchQuery query = new SearchQuery(pattern, order, limit, filter);
        HubSettings hub = context.hub();
        if (hub.offline()) {
            throw new InvalidRequestException("search asks the hub, and offline mode is on: unset HF_HUB_OFFLINE "
                    + "and drop --offline");
        }
        List<SearchHit> hits = new HubApi(HubClient.create(hub)).search(query);
        EloTable elo = EloTable.load(hub.cacheDir());
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ArrayNode array = mapper.createArrayNode();
            for (SearchHit h : hits) {
                ObjectNode o = array.addObject().put("id", h.id()).put("downloads", h.downloads())
                        .put("likes", h.likes()).put("trending_score", h.trendingScore())
                        .put("pipeline_tag", h.pipelineTag()).put("last_modified", h.lastModified());
                Optional<EloTable.Rating> rating = elo.forHubId(h.id());
                if (rating.isPresent()) {
                    o.putObject("elo").put("score", rating.get().score()).put("ci", rating.get().ci())
                            .put("model", rating.get().model());
                } else {
                    o.putNull("elo");
                }
            }
            context.out().println(mapper.writeValueAsString(array));
        } else if (hits.isEmpty()) {
            context.out().println("No models match '" + pattern + "'" + (filter != null ? " with tag " + filter : "")
                    + ".");
        } else {
            Table table = new Table(List.of("Model", "Downloads", "Likes", "Trend", "ELO", "Pipeline", "Updated"));
            for (SearchHit h : hits) {
                table.add(List.of(h.id(), HumanUnits.count(h.downloads()), HumanUnits.count(h.likes()),
                        String.format(Locale.ROOT, "%.0f", h.trendingScore()), EloCommand.cell(elo.forHubId(h.id())),
                        h.pipelineTag() != null ? h.pipelineTag() : "–",
                        h.lastModified() != null && h.lastModified().length() >= 10 ? h.lastModified().substring(0, 10)
                                : "–"));
            }
            Ansi ansi = new Ansi(context.stdout().ansi());
            table.render(ansi).forEach(context.out()::println);
            context.out().println(ansi.style("ELO: " + EloCommand.sourceLine(elo), Style.BRIGHT_BLACK));
        }
        context.out().flush();
        return 0;
    }
}
