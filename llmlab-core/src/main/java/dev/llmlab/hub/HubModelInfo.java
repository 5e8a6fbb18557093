package dev.llmlab.hub;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the hub knows about a model repository, for {@code llmlab info}.
 *
 * @param id           {@code org/name}
 * @param author       the owner
 * @param commit       the commit the revision points to
 * @param downloads    downloads in the last 30 days
 * @param likes        likes
 * @param license      the licence from the model card (or its {@code license:} tag), null if none
 * @param pipelineTag  e.g. {@code text-generation}, null if none
 * @param parameters   parameter count from the safetensors or GGUF metadata the hub extracted, -1 if unknown
 * @param lastModified ISO-8601 time of the last commit, null if unknown
 * @param gated        the repository asks users to accept its terms
 * @param files        every file with its size, by path
 */
public record HubModelInfo(String id, String author, String commit, long downloads, long likes, String license,
                           String pipelineTag, long parameters, String lastModified, boolean gated,
                           List<RepoFile> files) {

    public HubModelInfo {
        files = files.stream().sorted(java.util.Comparator.comparing(RepoFile::path)).toList();
    }

    /** The GGUF files grouped by the quantization their names carry; split parts add up. */
    public record GgufQuant(String quant, long sizeBytes, List<String> files) {
    }

    public static HubModelInfo fromJson(JsonNode json, List<RepoFile> files) {
        String id = text(json, "id");
        if (id == null) {
            id = text(json, "modelId");
        }
        String author = text(json, "author");
        if (author == null && id != null && id.contains("/")) {
            author = id.substring(0, id.indexOf('/'));
        }
        String license = text(json.path("cardData"), "license");
        if (license == null) {
            for (JsonNode tag : json.path("tags")) {
                if (tag.asText().startsWith("license:")) {
                    license = tag.asText().substring("license:".length());
                }
            }
        }
        long parameters = json.path("safetensors").path("total").asLong(-1);
        if (parameters <= 0) {
            parameters = json.path("gguf").path("total").asLong(-1);
        }
        JsonNode gated = json.get("gated");
        boolean isGated = gated != null && !(gated.isBoolean() && !gated.asBoolean()) && !gated.isNull();
        return new HubModelInfo(id, author, text(json, "sha"), json.path("downloads").asLong(0),
                json.path("likes").asLong(0), license, text(json, "pipeline_tag"), parameters > 0 ? parameters : -1,
                text(json, "lastModified"), isGated, files);
    }

    public long totalBytes() {
        return files.stream().mapToLong(f -> Math.max(0, f.sizeBytes())).sum();
    }

    public List<GgufQuant> ggufQuants() {
        Map<String, List<RepoFile>> byQuant = new TreeMap<>();
        for (RepoFile f : files) {
            if (RepoFiles.isGguf(f.path())) {
                Optional<String> q = RepoFiles.quantOf(f.path());
                byQuant.computeIfAbsent(q.orElse("?"), k -> new ArrayList<>()).add(f);
            }
        }
        List<GgufQuant> quants = new ArrayList<>();
        byQuant.forEach((q, fs) -> quants.add(new GgufQuant(q, fs.stream().mapToLong(RepoFile::sizeBytes).sum(),
                fs.stream().map(RepoFile::path).toList())));
        return quants;
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }
}
