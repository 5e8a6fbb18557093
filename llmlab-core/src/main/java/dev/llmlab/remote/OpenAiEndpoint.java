package dev.llmlab.remote;

import dev.llmlab.error.InvalidRequestException;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * An OpenAI-compatible server and the model to ask it for: written {@code openai:http://host:port/v1#model-name}
 * (the base URL ends where the API's routes begin, e.g. {@code /v1}; the fragment names the model).
 *
 * @param baseUrl the API's base URL, without a trailing slash
 * @param model   the model id the server knows
 * @param apiKey  sent as {@code Authorization: Bearer apiKey}; null sends no key
 */
public record OpenAiEndpoint(URI baseUrl, String model, String apiKey) {
    public static final String PREFIX = "openai:";

    public OpenAiEndpoint {
        if (baseUrl == null || !("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme()))
                || baseUrl.getHost() == null) {
            throw new InvalidRequestException("the remote server's URL must be http(s)://host[:port]/path, got "
                    + baseUrl);
        }
        if (model == null || model.isBlank()) {
            throw new InvalidRequestException("name the remote model after '#': " + PREFIX + baseUrl + "#model-name");
        }
        if (apiKey != null && apiKey.isBlank()) {
            apiKey = null;
        }
    }

    /** Whether {@code ref} is written in this form (and so is no local file or hub id). */
    public static boolean isRef(String ref) {
        return ref != null && ref.strip().startsWith(PREFIX);
    }

    /** Parses {@code openai:http://host:port/v1#model-name}; the key comes from the caller (flag or environment). */
    public static OpenAiEndpoint parse(String ref, String apiKey) {
        String t = ref.strip();
        if (!t.startsWith(PREFIX)) {
            throw new InvalidRequestException("not a remote model reference: '" + ref + "'; expected "
                    + PREFIX + "http://host:port/v1#model-name");
        }
        String rest = t.substring(PREFIX.length());
        int hash = rest.lastIndexOf('#');
        if (hash < 0) {
            throw new InvalidRequestException("'" + ref + "' names no model: add '#model-name' (see GET /v1/models "
                    + "on the server), e.g. " + PREFIX + "http://127.0.0.1:8080/v1#stories260K");
        }
        String url = rest.substring(0, hash);
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            return new OpenAiEndpoint(new URI(url), rest.substring(hash + 1), apiKey);
        } catch (URISyntaxException e) {
            throw new InvalidRequestException("bad server URL in '" + ref + "': " + e.getMessage());
        }
    }

    /** The URL of a route below the base, e.g. {@code completions}. */
    URI route(String path) {
        return URI.create(baseUrl + "/" + path);
    }

    @Override
    public String toString() {
        return PREFIX + baseUrl + "#" + model; // never the key
    }
}
