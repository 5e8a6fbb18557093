package dev.llmlab.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.error.HubException;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP to a Hugging Face hub ({@code HF_ENDPOINT}): JSON API calls with {@code Link} paging, file metadata from
 * the {@code resolve} endpoint, byte ranges of files, and download streams. Sends {@code HF_TOKEN} as a bearer
 * token to the hub only (never to the CDN a file redirects to), retries 429/5xx/cut connections with exponential
 * backoff, and turns 401/403/404 into messages that say what to do.
 */
public final class HubClient {
    private static final int MAX_REDIRECTS = 10;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final HubSettings settings;
    private final HttpClient http;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final ObjectMapper mapper = new ObjectMapper();

    public HubClient(HubSettings settings, HttpClient http, RetryPolicy retry, Sleeper sleeper) {
        this.settings = settings;
        this.http = http;
        this.retry = retry;
        this.sleeper = sleeper;
    }

    /** A client with the JDK's HttpClient (redirects are followed here, so the token stays on the hub). */
    public static HubClient create(HubSettings settings) {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(20)).build();
        return new HubClient(settings, http, RetryPolicy.DEFAULT, Sleeper.system());
    }

    public HubSettings settings() {
        return settings;
    }

    RetryPolicy retryPolicy() {
        return retry;
    }

    Sleeper sleeper() {
        return sleeper;
    }

    /** What a request is about, for error messages: any part may be null. */
    record Target(String repo, String revision, String path) {
        String describe() {
            return repo == null ? "the hub" : repo + (path != null ? "/" + path : "")
                    + (revision != null && !revision.equals(ModelRef.Hub.DEFAULT_REVISION) ? "@" + revision : "");
        }
    }

    /** {@code ENDPOINT/org/repo/resolve/REVISION/PATH}, each part percent-encoded. */
    public URI resolveUrl(String repo, String revision, String path) {
        return url("/" + repo + "/resolve/" + encode(revision) + "/" + encodePath(path), null);
    }

    /** {@code path} (already encoded) and an optional query below the endpoint. */
    public URI url(String path, String query) {
        return URI.create(settings.endpoint() + path + (query == null || query.isEmpty() ? "" : "?" + query));
    }

    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String encodePath(String path) {
        StringBuilder b = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            b.append(b.isEmpty() ? "" : "/").append(encode(segment));
        }
        return b.toString();
    }

    /** GET a JSON document. */
    public JsonNode getJson(URI url, String repo) {
        return withRetries(new Target(repo, null, null), DownloadListener.NONE, attempt -> {
            HttpResponse<InputStream> r = send(url, "GET", null, true);
            try (InputStream body = r.body()) {
                check(r, new Target(repo, null, null));
                return readJson(body, url);
            }
        });
    }

    /** GET a JSON array and the pages its {@code Link: <...>; rel="next"} headers chain to, up to maxItems. */
    public List<JsonNode> getJsonPages(URI first, int maxItems, String repo) {
        List<JsonNode> items = new ArrayList<>();
        URI next = first;
        while (next != null && items.size() < maxItems) {
            URI page = next;
            PageResult result = withRetries(new Target(repo, null, null), DownloadListener.NONE, attempt -> {
                HttpResponse<InputStream> r = send(page, "GET", null, true);
                try (InputStream body = r.body()) {
                    check(r, new Target(repo, null, null));
                    return new PageResult(readJson(body, page), nextLink(r.headers(), page));
                }
            });
            if (!result.json().isArray()) {
                throw new HubException("expected a JSON array from " + page + ", got " + result.json().getNodeType());
            }
            for (JsonNode item : result.json()) {
                if (items.size() < maxItems) {
                    items.add(item);
                }
            }
            next = result.json().isEmpty() ? null : result.next();
        }
        return items;
    }

    private record PageResult(JsonNode json, URI next) {
    }

    /** Malformed JSON is not worth a retry: the server is not a hub, or the API changed. */
    private JsonNode readJson(InputStream body, URI url) throws IOException {
        try {
            JsonNode json = mapper.readTree(body);
            if (json == null || json.isMissingNode()) {
                throw new HubException("the answer from " + url + " is empty: is HF_ENDPOINT a Hugging Face hub?");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new HubException("the answer from " + url + " is not valid JSON (" + e.getOriginalMessage()
                    + "): is HF_ENDPOINT a Hugging Face hub?", e);
        }
    }

    static URI nextLink(HttpHeaders headers, URI base) {
        for (String link : headers.allValues("Link")) {
            Matcher m = NEXT_LINK.matcher(link);
            if (m.find()) {
                return base.resolve(m.group(1));
            }
        }
        return null;
    }

    /**
     * HEAD on the resolve endpoint: the commit, the blob's etag and the size. Relative redirects (renamed
     * repositories) are followed; the absolute one to the file store is not: the X- headers are on the hub's answer.
     */
    public FileMetadata fileMetadata(String repo, String revision, String path) {
        Target target = new Target(repo, revision, path);
        return withRetries(target, DownloadListener.NONE, attempt -> {
            HttpResponse<InputStream> r = send(resolveUrl(repo, revision, path), "HEAD", null, false);
            r.body().close();
            check(r, target);
            HttpHeaders h = r.headers();
            String commit = h.firstValue("X-Repo-Commit").orElse(null);
            Optional<String> linked = h.firstValue("X-Linked-Etag");
            String etag = normalizeEtag(linked.or(() -> h.firstValue("ETag")).orElse(null));
            if (commit == null || etag == null) {
                throw new HubException("the answer for " + target.describe() + " from " + settings.endpoint()
                        + " has no X-Repo-Commit or ETag header: is HF_ENDPOINT a Hugging Face hub?");
            }
            long size = h.firstValueAsLong("X-Linked-Size").orElse(h.firstValueAsLong("Content-Length").orElse(-1));
            URI location = h.firstValue("Location").map(r.uri()::resolve).orElse(r.uri());
            return new FileMetadata(commit, etag, size, linked.isPresent(), location);
        });
    }

    /**
     * {@code length} bytes of a file in a repository from {@code offset} (fewer at the end of the file), by an
     * HTTP Range request: reads a GGUF or safetensors header without downloading the weights.
     */
    public byte[] readRange(String repo, String revision, String path, long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad range: offset " + offset + ", length " + length);
        }
        Target target = new Target(repo, revision, path);
        if (length == 0) {
            return new byte[0];
        }
        return withRetries(target, DownloadListener.NONE, attempt -> {
            String range = "bytes=" + offset + "-" + (offset + length - 1);
            HttpResponse<InputStream> r = send(resolveUrl(repo, revision, path), "GET", range, true);
            try (InputStream body = r.body()) {
                if (r.statusCode() == 416) {
                    return new byte[0];
                }
                check(r, target);
                if (r.statusCode() == 206) {
                    return body.readNBytes(length);
                }
                body.skipNBytes(offset); // the server ignored the range: take the slice ourselves
                return body.readNBytes(length);
            }
        });
    }

    /** One attempt at a GET for a file's bytes from {@code offset}: 200 (from 0) or 206 (from offset). */
    HttpResponse<InputStream> openDownload(URI url, long offset, Target target) throws IOException {
        HttpResponse<InputStream> r = send(url, "GET", offset > 0 ? "bytes=" + offset + "-" : null, true);
        if (r.statusCode() != 416) {
            try {
                check(r, target);
            } catch (IOException | RuntimeException e) {
                r.body().close();
                throw e;
            }
        }
        return r;
    }

    /** Sends one request, following redirects itself: the token goes only to the endpoint's host. */
    private HttpResponse<InputStream> send(URI url, String method, String range, boolean followAbsolute)
            throws IOException {
        URI current = url;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(current).timeout(REQUEST_TIMEOUT)
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .header("User-Agent", "llmlab/hub-client")
                    .header("Accept-Encoding", "identity");
            if (settings.token() != null && sameServer(current, settings.endpoint())) {
                b.header("Authorization", "Bearer " + settings.token());
            }
            if (range != null) {
                b.header("Range", range);
            }
            HttpResponse<InputStream> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubException("interrupted while waiting for " + current);
            }
            Optional<String> location = r.headers().firstValue("Location");
            if (!isRedirect(r.statusCode()) || location.isEmpty()) {
                return r;
            }
            URI next = current.resolve(location.get());
            boolean absolute = URI.create(location.get()).getHost() != null;
            if ((absolute && !followAbsolute) || hop >= MAX_REDIRECTS) {
                return r;
            }
            r.body().close();
            current = next;
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean sameServer(URI a, URI b) {
        return Objects.equals(a.getHost(), b.getHost()) && a.getPort() == b.getPort()
                && Objects.equals(a.getScheme(), b.getScheme());
    }

    /** 2xx and 3xx pass; 429/5xx are retryable; the rest become messages that say what to do. */
    private void check(HttpResponse<?> r, Target target) throws RetryableStatus {
        int status = r.statusCode();
        if (status < 400) {
            return;
        }
        if (status == 408 || status == 429 || status >= 500) {
            Duration retryAfter = r.headers().firstValueAsLong("Retry-After").stream()
                    .mapToObj(Duration::ofSeconds).findFirst().orElse(null);
            throw new RetryableStatus(status, retryAfter);
        }
        throw HubErrors.forStatus(status, r.headers(), target, settings);
    }

    /** A 408/429/5xx answer: worth another attempt after a pause. */
    static final class RetryableStatus extends IOException {
        final int status;
        final Duration retryAfter;

        RetryableStatus(int status, Duration retryAfter) {
            super("HTTP " + status);
            this.status = status;
            this.retryAfter = retryAfter;
        }
    }

    /** One attempt of a retried operation. */
    @FunctionalInterface
    interface Attempt<T> {
        T run(int attempt) throws IOException;
    }

    /**
     * Runs {@code attempt} until it succeeds, fails for good (a {@link HubException}, a 4xx, a refused
     * connection), or the policy's attempts are used up; waits with exponential backoff between attempts (429,
     * 5xx, connections cut or timed out) and tells the listener.
     */
    <T> T withRetries(Target target, DownloadListener listener, Attempt<T> attempt) {
        for (int n = 1; ; n++) {
            try {
                return attempt.run(n);
            } catch (RetryableStatus e) {
                pauseOrGiveUp(target, listener, n, e, e.retryAfter);
            } catch (ConnectException e) {
                // nothing answers (offline, a wrong HF_ENDPOINT): waiting would not help, and an offline user
                // should not wait half a minute to be told so
                throw HubErrors.cannotConnect(target, e, settings);
            } catch (IOException e) {
                pauseOrGiveUp(target, listener, n, e, null);
            }
        }
    }

    private void pauseOrGiveUp(Target target, DownloadListener listener, int attempt, IOException e,
                               Duration retryAfter) {
        if (attempt >= retry.maxAttempts()) {
            throw HubErrors.gaveUp(target, attempt, e, settings);
        }
        Duration delay = retry.delayAfter(attempt, retryAfter);
        listener.retrying(target.path() != null ? target.path() : target.describe(), attempt, delay,
                HubErrors.reason(e));
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new HubException("interrupted while waiting to retry " + target.describe(), ie);
        }
    }

    static String normalizeEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e.isEmpty() ? null : e;
    }
}
