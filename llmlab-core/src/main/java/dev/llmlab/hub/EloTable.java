package dev.llmlab.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.error.HubException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Arena (LMArena, formerly Chatbot Arena) text ratings, with where they come from and when, joined to hub
 * repository ids. The jar carries a snapshot ({@code arena-elo.json}); {@code elo --refresh} replaces it with the
 * current leaderboard in the cache directory. A hub id matches its own rating and GGUF re-packagings of it
 * ({@code someone/GLM-4.7-GGUF}, {@code someone/zai-org_GLM-4.7-GGUF}).
 */
public final class EloTable {
    public static final String RESOURCE = "arena-elo.json";
    /** Where a refreshed table is kept, below the cache directory. */
    public static final String REFRESHED_FILE = "llmlab/arena-elo.json";

    /** One rated model. */
    public record Rating(int rank, String model, String vendor, String license, int score, int ci, long votes,
                         List<String> hubIds) {
        public Rating {
            hubIds = List.copyOf(hubIds);
        }
    }

    /** Where the ratings come from and when they were fetched. */
    public record Source(String name, String url, String fetchedAt) {
        /** {@code 2026-04-19} from the fetch time. */
        public String date() {
            return fetchedAt != null && fetchedAt.length() >= 10 ? fetchedAt.substring(0, 10) : "unknown date";
        }
    }

    private final Source source;
    private final List<Rating> ratings;

    public EloTable(Source source, List<Rating> ratings) {
        this.source = source;
        this.ratings = ratings.stream().sorted(Comparator.comparingInt(Rating::score).reversed()).toList();
    }

    public Source source() {
        return source;
    }

    public List<Rating> ratings() {
        return ratings;
    }

    /** The table shipped in the jar. */
    public static EloTable bundled() {
        try (InputStream in = EloTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + RESOURCE + " is missing from the jar");
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** The refreshed table in {@code cacheDir} if there is a readable one, else the bundled one. */
    public static EloTable load(Path cacheDir) {
        Path refreshed = cacheDir.resolve(REFRESHED_FILE);
        if (Files.isRegularFile(refreshed)) {
            try {
                return parse(new ObjectMapper().readTree(refreshed.toFile()));
            } catch (IOException | RuntimeException e) {
                // a damaged refresh must not hide the ratings we ship; `elo --refresh` rewrites it
                return bundled();
            }
        }
        return bundled();
    }

    /**
     * Reads the bundled format ({@code source, source_url, fetched_at, models[] with hub_ids}) or the
     * leaderboard snapshot format ({@code meta{source_url, fetched_at}, models[]}).
     */
    public static EloTable parse(JsonNode json) {
        JsonNode models = json.get("models");
        if (models == null || !models.isArray() || models.isEmpty()) {
            throw new HubException("the leaderboard JSON has no \"models\" array: expected {meta, models: [{rank, "
                    + "model, vendor, license, score, ci, votes}]}");
        }
        JsonNode meta = json.has("meta") ? json.get("meta") : json;
        Source source = new Source(json.path("source").asText("arena.ai text leaderboard"),
                HubModelInfo.text(meta, "source_url"), HubModelInfo.text(meta, "fetched_at"));
        List<Rating> ratings = new ArrayList<>();
        for (JsonNode m : models) {
            if (!m.hasNonNull("model") || !m.path("score").isNumber()) {
                throw new HubException("a leaderboard entry lacks \"model\" or a numeric \"score\": " + m);
            }
            List<String> hubIds = new ArrayList<>();
            m.path("hub_ids").forEach(h -> hubIds.add(h.asText()));
            ratings.add(new Rating(m.path("rank").asInt(0), m.get("model").asText(), m.path("vendor").asText(""),
                    m.path("license").asText(""), m.get("score").asInt(), m.path("ci").asInt(0),
                    m.path("votes").asLong(0), hubIds));
        }
        return new EloTable(source, ratings);
    }

    /** This table with the hub ids of {@code mapping} carried over by model name (after a refresh). */
    public EloTable withHubIdsFrom(EloTable mapping) {
        Map<String, List<String>> ids = new HashMap<>();
        mapping.ratings.forEach(r -> ids.put(r.model().toLowerCase(Locale.ROOT), r.hubIds()));
        return new EloTable(source, ratings.stream().map(r -> r.hubIds().isEmpty()
                ? new Rating(r.rank(), r.model(), r.vendor(), r.license(), r.score(), r.ci(), r.votes(),
                ids.getOrDefault(r.model().toLowerCase(Locale.ROOT), List.of())) : r).toList());
    }

    /** The best rating joined to a hub repository (or a GGUF re-packaging of one). */
    public Optional<Rating> forHubId(String repo) {
        String id = repo.toLowerCase(Locale.ROOT);
        String name = baseName(id);
        for (Rating r : ratings) { // best first
            for (String h : r.hubIds()) {
                String hid = h.toLowerCase(Locale.ROOT);
                String hname = hid.substring(hid.indexOf('/') + 1);
                String horg = hid.contains("/") ? hid.substring(0, hid.indexOf('/')) : "";
                if (hid.equals(id) || name.equals(hname) || name.equals(horg + "_" + hname)) {
                    return Optional.of(r);
                }
            }
        }
        return Optional.empty();
    }

    /** {@code someone/GLM-4.7-GGUF} -> {@code glm-4.7}: the repository name without a GGUF suffix. */
    private static String baseName(String id) {
        String name = id.substring(id.indexOf('/') + 1);
        return name.endsWith("-gguf") ? name.substring(0, name.length() - "-gguf".length()) : name;
    }

    /** Ratings whose model name, vendor or hub id contains {@code pattern} (all when blank). */
    public List<Rating> matching(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return ratings;
        }
        String p = pattern.strip().toLowerCase(Locale.ROOT);
        return ratings.stream().filter(r -> r.model().toLowerCase(Locale.ROOT).contains(p)
                || r.vendor().toLowerCase(Locale.ROOT).contains(p)
                || r.hubIds().stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).contains(p))).toList();
    }

    /** The bundled format, for saving a refreshed table. */
    public ObjectNode toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode o = mapper.createObjectNode().put("source", source.name()).put("source_url", source.url())
                .put("fetched_at", source.fetchedAt());
        var models = o.putArray("models");
        for (Rating r : ratings) {
            var m = models.addObject().put("rank", r.rank()).put("model", r.model()).put("vendor", r.vendor())
                    .put("license", r.license()).put("score", r.score()).put("ci", r.ci()).put("votes", r.votes());
            r.hubIds().forEach(m.putArray("hub_ids")::add);
        }
        return o;
    }

    /**
     * Fetches the current leaderboard from {@code url} (the snapshot format), keeps the hub ids of the bundled
     * table, and saves it in the cache directory atomically; returns the new table.
     */
    public static EloTable refresh(HubClient client, java.net.URI url, Path cacheDir) {
        EloTable fresh = parse(client.getJson(url, null)).withHubIdsFrom(bundled());
        if (fresh.source().fetchedAt() == null) {
            fresh = new EloTable(new Source(fresh.source().name(), url.toString(),
                    java.time.Instant.now().toString()), fresh.ratings());
        }
        Path target = cacheDir.resolve(REFRESHED_FILE);
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".arena-", ".tmp");
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), fresh.toJson());
            HubCache.move(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the leaderboard to " + target + ": " + e.getMessage(), e);
        }
        return fresh;
    }
}
