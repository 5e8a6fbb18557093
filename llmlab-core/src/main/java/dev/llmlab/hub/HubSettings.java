package dev.llmlab.hub;

import dev.llmlab.error.InvalidRequestException;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the hub code needs from the environment, parsed once at the edge (the CLI) and passed down.
 *
 * @param endpoint   the hub's base URL ({@code HF_ENDPOINT}, default {@code https://huggingface.co})
 * @param token      a bearer token for gated and private repositories ({@code HF_TOKEN}), or null
 * @param cacheDir   the Hugging Face style cache: {@code LLMLAB_CACHE}, else {@code HF_HUB_CACHE}, else
 *                   {@code $HF_HOME/hub}, else {@code ./models_cache}
 * @param offline    use only the cache ({@code HF_HUB_OFFLINE=1} or {@code --offline})
 * @param searchPath directories searched by file name ({@code LLMLAB_MODEL_PATH})
 * @param arenaUrl   where {@code elo --refresh} fetches the leaderboard JSON ({@code LLMLAB_ARENA_URL}), or null
 */
public record HubSettings(URI endpoint, String token, Path cacheDir, boolean offline, List<Path> searchPath,
                          URI arenaUrl) {
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");
    public static final Path DEFAULT_CACHE = Path.of("models_cache");

    public HubSettings {
        searchPath = List.copyOf(searchPath);
        String e = endpoint.toString();
        if (e.endsWith("/")) {
            endpoint = URI.create(e.substring(0, e.length() - 1));
        }
    }

    /** Parses the variables (a copy of the process environment). */
    public static HubSettings fromEnvironment(Map<String, String> env) {
        List<Path> path = new ArrayList<>();
        String modelPath = env.get("LLMLAB_MODEL_PATH");
        if (modelPath != null) {
            for (String p : modelPath.split(File.pathSeparator)) {
                if (!p.isBlank()) {
                    path.add(Path.of(p));
                }
            }
        }
        Path cache;
        if (nonBlank(env.get("LLMLAB_CACHE"))) {
            cache = Path.of(env.get("LLMLAB_CACHE"));
        } else if (nonBlank(env.get("HF_HUB_CACHE"))) {
            cache = Path.of(env.get("HF_HUB_CACHE"));
        } else if (nonBlank(env.get("HF_HOME"))) {
            cache = Path.of(env.get("HF_HOME"), "hub");
        } else {
            cache = DEFAULT_CACHE;
        }
        String off = env.getOrDefault("HF_HUB_OFFLINE", "").strip().toLowerCase(Locale.ROOT);
        boolean offline = off.equals("1") || off.equals("true") || off.equals("yes") || off.equals("on");
        URI endpoint = uri("HF_ENDPOINT", env.get("HF_ENDPOINT"), DEFAULT_ENDPOINT);
        URI arena = uri("LLMLAB_ARENA_URL", env.get("LLMLAB_ARENA_URL"), null);
        String token = nonBlank(env.get("HF_TOKEN")) ? env.get("HF_TOKEN").strip() : null;
        return new HubSettings(endpoint, token, cache, offline, path, arena);
    }

    /** Only the cache: the same settings with offline mode on. */
    public HubSettings withOffline(boolean forceOffline) {
        return forceOffline ? new HubSettings(endpoint, token, cacheDir, true, searchPath, arenaUrl) : this;
    }

    private static URI uri(String name, String value, URI fallback) {
        if (!nonBlank(value)) {
            return fallback;
        }
        try {
            URI uri = URI.create(value.strip());
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(name + "='" + value + "' is not a valid http(s) URL ("
                    + e.getMessage() + "); unset it or give one like https://huggingface.co");
        }
    }

    private static boolean nonBlank(String s) {
        return s != null && !s.isBlank();
    }

    @Override
    public String toString() {
        // never print the token
        return "HubSettings[endpoint=" + endpoint + ", token=" + (token == null ? "none" : "set") + ", cacheDir="
                + cacheDir + ", offline=" + offline + ", searchPath=" + searchPath + ", arenaUrl=" + arenaUrl + "]";
    }
}
