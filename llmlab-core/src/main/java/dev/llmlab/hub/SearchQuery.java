package dev.llmlab.hub;

import dev.llmlab.error.InvalidRequestException;

/**
 * A model search on the hub.
 *
 * @param pattern text the model id must contain
 * @param sort    the order: most downloads, likes, or trending first
 * @param limit   how many results at most (1..1000)
 * @param filter  a tag every result carries ({@code gguf}, {@code text-generation}, a library...), or null
 */
public record SearchQuery(String pattern, Sort sort, int limit, String filter) {
    public enum Sort {
        DOWNLOADS("downloads"), LIKES("likes"), TRENDING("trendingScore");

        private final String apiName;

        Sort(String apiName) {
            this.apiName = apiName;
        }

        public String apiName() {
            return apiName;
        }
    }

    public SearchQuery {
        if (limit < 1 || limit > 1000) {
            throw new InvalidRequestException("--limit must be between 1 and 1000, got " + limit);
        }
        if (pattern == null) {
            pattern = "";
        }
    }

    /** The query string of {@code /api/models}. */
    String queryString() {
        StringBuilder q = new StringBuilder();
        if (!pattern.isBlank()) {
            q.append("search=").append(HubClient.encode(pattern.strip())).append('&');
        }
        q.append("sort=").append(sort.apiName()).append("&direction=-1&limit=").append(Math.min(limit, 100));
        if (filter != null && !filter.isBlank()) {
            q.append("&filter=").append(HubClient.encode(filter.strip()));
        }
        return q.toString();
    }
}
