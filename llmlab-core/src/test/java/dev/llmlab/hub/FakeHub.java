package dev.llmlab.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A Hugging Face hub on 127.0.0.1 (port 0) for tests, shaped like the real one: {@code /api/models/REPO}
 * (model info), {@code /api/models/REPO/tree/REV} and {@code /api/models?search=} paged by {@code Link}
 * headers, {@code /REPO/resolve/REV/PATH} answering with {@code X-Repo-Commit}, {@code ETag} (git sha1) for
 * regular files and a 302 to a second server (the "CDN", another port) with {@code X-Linked-Etag} (sha256) and
 * {@code X-Linked-Size} for LFS files; byte ranges; relative redirects for renamed repositories. Faults are
 * queued per path prefix: a status code, a connection cut after N bytes, a corrupted byte, a slow body.
 */
public final class FakeHub implements AutoCloseable {
    /** One queued misbehaviour for the next request whose path starts with a prefix. */
    public sealed interface Fault {
        record Status(int code, Map<String, String> headers) implements Fault {
        }

        record CutAfter(long bytes) implements Fault {
        }

        record Corrupt() implements Fault {
        }

        record Slow(long millisPerChunk) implements Fault {
        }
    }

    /** A logged request. */
    public record Request(String method, String path, String range, String authorization, int port) {
    }

    private record FileEntry(byte[] bytes, boolean lfs) {
    }

    private record Repo(String commit, Map<String, FileEntry> files, ObjectNode info) {
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpServer hub;
    private final HttpServer cdn;
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, String> renamed = new ConcurrentHashMap<>();
    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<ObjectNode> searchable = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> documents = new ConcurrentHashMap<>();
    private volatile int pageSize = 2;

    public FakeHub() throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        hub = HttpServer.create(loopback, 0);
        cdn = HttpServer.create(loopback, 0);
        hub.createContext("/", this::handleHub);
        cdn.createContext("/", this::handleCdn);
        hub.setExecutor(Executors.newFixedThreadPool(8));
        cdn.setExecutor(Executors.newFixedThreadPool(8));
        hub.start();
        cdn.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    public int cdnPort() {
        return cdn.getAddress().getPort();
    }

    /** Adds (or replaces) a repository at a commit; {@code lfs} names the files stored in LFS. */
    public FakeHub repo(String repo, String commit, Map<String, byte[]> files, List<String> lfs) {
        Map<String, FileEntry> entries = new LinkedHashMap<>();
        files.forEach((path, bytes) -> entries.put(path, new FileEntry(bytes, lfs.contains(path))));
        ObjectNode info = mapper.createObjectNode().put("id", repo).put("modelId", repo)
                .put("author", repo.substring(0, repo.indexOf('/'))).put("sha", commit)
                .put("lastModified", "2025-06-01T12:00:00.000Z").put("downloads", 1234).put("likes", 56)
                .put("pipeline_tag", "text-generation").put("private", false);
        info.putArray("tags").add("gguf").add("license:apache-2.0");
        ArrayNode siblings = info.putArray("siblings");
        entries.keySet().forEach(p -> siblings.addObject().put("rfilename", p));
        repos.put(repo, new Repo(commit, entries, info));
        return this;
    }

    /** Extra model-info fields for a repository (safetensors, gguf, cardData...). */
    public ObjectNode info(String repo) {
        return repos.get(repo).info();
    }

    /** {@code from} now lives at {@code to}: resolve URLs answer with a relative 307, as the hub does. */
    public FakeHub rename(String from, String to) {
        renamed.put(from, to);
        return this;
    }

    /** A search result entry (id, downloads, likes, trendingScore, tags...). */
    public FakeHub searchable(ObjectNode model) {
        searchable.add(model);
        return this;
    }

    /** Any other document, served as JSON at {@code path} (e.g. a leaderboard). */
    public FakeHub serve(String path, byte[] json) {
        documents.put(path, json);
        return this;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public FakeHub pageSize(int size) {
        this.pageSize = size;
        return this;
    }

    /** The next request whose path starts with {@code prefix} misbehaves (queue several for several requests). */
    public FakeHub fault(String prefix, Fault fault) {
        faults.computeIfAbsent(prefix, k -> new ArrayDeque<>()).add(fault);
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public long count(String method, String pathPrefix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).count();
    }

    public static String sha256(byte[] bytes) {
        return hex("SHA-256", null, bytes);
    }

    public static String gitSha1(byte[] bytes) {
        return hex("SHA-1", ("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII), bytes);
    }

    private static String hex(String algorithm, byte[] prefix, byte[] bytes) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            if (prefix != null) {
                md.update(prefix);
            }
            return HexFormat.of().formatHex(md.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Status faults hit any request; body faults (cut, corrupt, slow) wait for a GET. */
    private Fault nextFault(String path, String method) {
        for (Map.Entry<String, Deque<Fault>> e : faults.entrySet()) {
            if (path.startsWith(e.getKey())) {
                synchronized (e.getValue()) {
                    Fault f = e.getValue().peek();
                    if (f != null && (f instanceof Fault.Status || method.equals("GET"))) {
                        return e.getValue().poll();
                    }
                }
            }
        }
        return null;
    }

    private void log(HttpExchange ex, int port) {
        requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                ex.getRequestHeaders().getFirst("Range"), ex.getRequestHeaders().getFirst("Authorization"), port));
    }

    private void handleHub(HttpExchange ex) throws IOException {
        try (ex) {
            log(ex, hub.getAddress().getPort());
            String raw = ex.getRequestURI().getRawPath();
            Fault fault = nextFault(raw, ex.getRequestMethod());
            if (fault instanceof Fault.Status s) {
                s.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
                send(ex, s.code(), new byte[0]);
                return;
            }
            if (documents.containsKey(raw)) {
                ex.getResponseHeaders().add("Content-Type", "application/json");
                send(ex, 200, documents.get(raw));
            } else if (raw.startsWith("/api/models")) {
                api(ex, raw);
            } else if (raw.contains("/resolve/")) {
                resolve(ex, raw, fault);
            } else {
                send(ex, 404, new byte[0]);
            }
        }
    }

    private void api(HttpExchange ex, String raw) throws IOException {
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        if (raw.equals("/api/models")) {
            List<ObjectNode> hits = new ArrayList<>();
            String search = query.getOrDefault("search", "").toLowerCase();
            for (ObjectNode m : searchable) {
                if (m.get("id").asText().toLowerCase().contains(search)
                        && (!query.containsKey("filter") || tagged(m, query.get("filter")))) {
                    hits.add(m);
                }
            }
            String sort = query.getOrDefault("sort", "downloads");
            hits.sort((a, b) -> Double.compare(b.path(sort).asDouble(), a.path(sort).asDouble()));
            page(ex, hits, query, "/api/models");
            return;
        }
        String rest = decode(raw.substring("/api/models/".length()));
        String[] parts = rest.split("/", 4);
        String repoId = parts[0] + "/" + parts[1];
        Repo repo = repos.get(repoId);
        if (repo == null) {
            ex.getResponseHeaders().add("X-Error-Code", "RepoNotFound");
            send(ex, 401, "{\"error\":\"Repository not found\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (parts.length == 2 || parts[2].equals("revision")) {
            json(ex, 200, repo.info());
            return;
        }
        if (parts[2].equals("tree")) {
            List<ObjectNode> entries = new ArrayList<>();
            repo.files().forEach((path, f) -> {
                ObjectNode e = mapper.createObjectNode().put("type", "file").put("path", path)
                        .put("size", f.bytes().length).put("oid", gitSha1(f.bytes()));
                if (f.lfs()) {
                    e.putObject("lfs").put("oid", sha256(f.bytes())).put("size", f.bytes().length)
                            .put("pointerSize", 134);
                }
                entries.add(e);
            });
            page(ex, entries, query, raw);
            return;
        }
        send(ex, 404, new byte[0]);
    }

    private static boolean tagged(ObjectNode m, String tag) {
        for (var t : m.path("tags")) {
            if (t.asText().equals(tag)) {
                return true;
            }
        }
        return m.path("pipeline_tag").asText().equals(tag);
    }

    /** One page of a list, with a {@code Link: <...cursor=N>; rel="next"} header when more follow. */
    private void page(HttpExchange ex, List<ObjectNode> all, Map<String, String> query, String path)
            throws IOException {
        int cursor = Integer.parseInt(query.getOrDefault("cursor", "0"));
        int size = Math.min(pageSize, Integer.parseInt(query.getOrDefault("limit", "1000")));
        ArrayNode page = mapper.createArrayNode();
        all.subList(Math.min(cursor, all.size()), Math.min(cursor + size, all.size())).forEach(page::add);
        if (cursor + size < all.size()) {
            Map<String, String> next = new LinkedHashMap<>(query);
            next.put("cursor", String.valueOf(cursor + size));
            StringBuilder q = new StringBuilder();
            next.forEach((k, v) -> q.append(q.isEmpty() ? "" : "&").append(k).append('=')
                    .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
            ex.getResponseHeaders().add("Link", "<" + endpoint() + path + "?" + q + ">; rel=\"next\"");
        }
        json(ex, 200, page);
    }

    private void resolve(HttpExchange ex, String raw, Fault fault) throws IOException {
        int at = raw.indexOf("/resolve/");
        String repoId = raw.substring(1, at);
        String[] revAndPath = raw.substring(at + "/resolve/".length()).split("/", 2);
        String revision = decode(revAndPath[0]);
        String path = decode(revAndPath[1]);
        if (renamed.containsKey(repoId)) {
            ex.getResponseHeaders().add("Location", "/" + renamed.get(repoId) + "/resolve/" + revAndPath[0] + "/"
                    + revAndPath[1]);
            send(ex, 307, new byte[0]);
            return;
        }
        Repo repo = repos.get(repoId);
        if (repo == null) {
            ex.getResponseHeaders().add("X-Error-Code", "RepoNotFound");
            send(ex, 404, new byte[0]);
            return;
        }
        if (!revision.equals("main") && !revision.equals(repo.commit())) {
            ex.getResponseHeaders().add("X-Error-Code", "RevisionNotFound");
            send(ex, 404, new byte[0]);
            return;
        }
        FileEntry f = repo.files().get(path);
        if (f == null) {
            ex.getResponseHeaders().add("X-Error-Code", "EntryNotFound");
            send(ex, 404, new byte[0]);
            return;
        }
        ex.getResponseHeaders().add("X-Repo-Commit", repo.commit());
        if (f.lfs()) {
            String sha = sha256(f.bytes());
            ex.getResponseHeaders().add("X-Linked-Etag", "\"" + sha + "\"");
            ex.getResponseHeaders().add("X-Linked-Size", String.valueOf(f.bytes().length));
            ex.getResponseHeaders().add("ETag", "\"" + gitSha1(("pointer " + sha).getBytes(StandardCharsets.UTF_8))
                    + "\"");
            ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + cdnPort() + "/cdn/" + repoId + "/" + sha
                    + "?signature=abc");
            send(ex, 302, new byte[0]);
            return;
        }
        ex.getResponseHeaders().add("ETag", "\"" + gitSha1(f.bytes()) + "\"");
        body(ex, f.bytes(), fault);
    }

    private void handleCdn(HttpExchange ex) throws IOException {
        try (ex) {
            log(ex, cdn.getAddress().getPort());
            String raw = ex.getRequestURI().getRawPath();
            Fault fault = nextFault(raw, ex.getRequestMethod());
            if (fault instanceof Fault.Status s) {
                send(ex, s.code(), new byte[0]);
                return;
            }
            String sha = raw.substring(raw.lastIndexOf('/') + 1);
            for (Repo repo : repos.values()) {
                for (FileEntry f : repo.files().values()) {
                    if (f.lfs() && sha256(f.bytes()).equals(sha)) {
                        body(ex, f.bytes(), fault);
                        return;
                    }
                }
            }
            send(ex, 404, new byte[0]);
        }
    }

    /** The file's bytes, honouring {@code Range: bytes=a-[b]}, misbehaving as the fault says. */
    private void body(HttpExchange ex, byte[] bytes, Fault fault) throws IOException {
        int start = 0;
        int end = bytes.length;
        int status = 200;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null && range.startsWith("bytes=")) {
            String[] se = range.substring(6).split("-", -1);
            start = Integer.parseInt(se[0]);
            end = se[1].isEmpty() ? bytes.length : Math.min(bytes.length, Integer.parseInt(se[1]) + 1);
            if (start >= bytes.length) {
                ex.getResponseHeaders().add("Content-Range", "bytes */" + bytes.length);
                send(ex, 416, new byte[0]);
                return;
            }
            status = 206;
            ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (end - 1) + "/" + bytes.length);
        }
        byte[] slice = java.util.Arrays.copyOfRange(bytes, start, end);
        if (fault instanceof Fault.Corrupt) {
            slice[slice.length / 2] ^= 0x5a;
        }
        ex.getResponseHeaders().add("Accept-Ranges", "bytes");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().add("Content-Length", String.valueOf(slice.length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, slice.length);
        OutputStream out = ex.getResponseBody();
        long limit = fault instanceof Fault.CutAfter c ? c.bytes() : slice.length;
        int chunk = 4096;
        for (int i = 0; i < Math.min(limit, slice.length); i += chunk) {
            int n = (int) Math.min(chunk, Math.min(limit, slice.length) - i);
            out.write(slice, i, n);
            out.flush();
            if (fault instanceof Fault.Slow s) {
                sleep(s.millisPerChunk());
            }
        }
        if (limit < slice.length) {
            // drop the connection mid-body, as a network failure would
            throw new IOException("fault: connection cut after " + limit + " bytes");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void json(HttpExchange ex, int status, Object value) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        send(ex, status, mapper.writeValueAsBytes(value));
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        if (ex.getRequestMethod().equals("HEAD") || body.length == 0) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    q.put(decode(kv.substring(0, eq)), decode(kv.substring(eq + 1)));
                }
            }
        }
        return q;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
        ((java.util.concurrent.ExecutorService) hub.getExecutor()).shutdownNow();
        ((java.util.concurrent.ExecutorService) cdn.getExecutor()).shutdownNow();
    }
}
