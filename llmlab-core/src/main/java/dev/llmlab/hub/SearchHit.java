package dev.llmlab.hub;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One model in search results.
 *
 * @param id            {@code org/name}
 * @param downloads     downloads in the last 30 days
 * @param likes         likes
 * @param trendingScore the hub's trending score (0 if absent)
 * @param pipelineTag   e.g. {@code text-generation}, or null
 * @param lastModified  ISO-8601, or null
 */
public record SearchHit(String id, long downloads, long likes, double trendingScore, String pipelineTag,
                        String lastModified) {

    public static SearchHit fromJson(JsonNode json) {
        String id = HubModelInfo.text(json, "id");
        return new SearchHit(id != null ? id : HubModelInfo.text(json, "modelId"), json.path("downloads").asLong(0),
                json.path("likes").asLong(0), json.path("trendingScore").asDouble(0),
                HubModelInfo.text(json, "pipeline_tag"), HubModelInfo.text(json, "lastModified"));
    }
}
