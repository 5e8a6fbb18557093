package dev.llmlab.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmlab.error.HubException;

import java.util.ArrayList;
import java.util.List;

/** The hub's JSON API: a model's metadata, its file tree, model search. */
public final class HubApi {
    private static final int MAX_TREE_ENTRIES = 100_000;

    private final HubClient client;

    public HubApi(HubClient client) {
        this.client = client;
    }

    public HubClient client() {
        return client;
    }

    /** {@code GET /api/models/REPO[/revision/REV]}: id, sha (the commit), downloads, likes, card data, ... */
    public JsonNode modelInfo(String repo, String revision) {
        String path = "/api/models/" + repo + (revision == null || revision.equals(ModelRef.Hub.DEFAULT_REVISION)
                ? "" : "/revision/" + HubClient.encode(revision));
        return client.getJson(client.url(path, null), repo);
    }

    /** The commit a revision points to now. */
    public String commitOf(String repo, String revision) {
        JsonNode sha = modelInfo(repo, revision).get("sha");
        if (sha == null || !sha.isTextual() || sha.asText().isBlank()) {
            throw new HubException("the hub's answer for " + repo + " names no commit (no \"sha\" field)");
        }
        return sha.asText();
    }

    /** Every file of the repository at {@code revision}, following the tree API's {@code Link} pages. */
    public List<RepoFile> listFiles(String repo, String revision) {
        List<JsonNode> entries = client.getJsonPages(client.url("/api/models/" + repo + "/tree/"
                + HubClient.encode(revision), "recursive=true"), MAX_TREE_ENTRIES, repo);
        List<RepoFile> files = new ArrayList<>();
        for (JsonNode e : entries) {
            if (e.path("type").asText("file").equals("file") && e.hasNonNull("path")) {
                JsonNode lfs = e.get("lfs");
                String sha = lfs != null && lfs.hasNonNull("oid") ? lfs.get("oid").asText() : null;
                long size = lfs != null && lfs.has("size") ? lfs.get("size").asLong() : e.path("size").asLong(-1);
                files.add(new RepoFile(e.get("path").asText(), size, sha));
            }
        }
        return files;
    }

    /** A repository's metadata and files at a revision. */
    public HubModelInfo info(String repo, String revision) {
        JsonNode json = modelInfo(repo, revision);
        String commit = HubModelInfo.text(json, "sha");
        return HubModelInfo.fromJson(json, listFiles(repo, commit != null ? commit : revision));
    }

    /** Models matching a query, in the hub's order, following {@code Link} pages up to the limit. */
    public List<SearchHit> search(SearchQuery query) {
        return client.getJsonPages(client.url("/api/models", query.queryString()), query.limit(), null).stream()
                .map(SearchHit::fromJson).toList();
    }
}
