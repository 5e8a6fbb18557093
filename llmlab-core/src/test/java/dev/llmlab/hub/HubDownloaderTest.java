package dev.llmlab.hub;

import dev.llmlab.error.HubException;
import dev.llmlab.error.ModelNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The downloader against {@link FakeHub} on loopback, with faults injected and backoff on a fake sleeper. */
class HubDownloaderTest {
    static final String COMMIT = "aaaabbbbccccddddeeeeffff0000111122223333";
    static final byte[] WEIGHTS = random(300_000, 1);
    static final byte[] CONFIG = "{\"model_type\": \"llama\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path cacheDir;
    FakeHub hub;
    final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub().repo("org/tiny-GGUF", COMMIT, Map.of("tiny-Q4_K_M.gguf", WEIGHTS,
                "tiny-Q8_0.gguf", random(1000, 2), "config.json", CONFIG, "README.md", bytes("# tiny")),
                List.of("tiny-Q4_K_M.gguf", "tiny-Q8_0.gguf"));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    HubClient client(String token, int attempts) {
        HubSettings settings = new HubSettings(hub.endpoint(), token, cacheDir, false, List.of(), null);
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        return new HubClient(settings, http, new RetryPolicy(attempts, Duration.ofSeconds(1), Duration.ofSeconds(8)),
                sleeps::add);
    }

    HubDownloader downloader(String token) {
        return new HubDownloader(client(token, 4), new HubCache(cacheDir), DownloadListener.NONE);
    }

    @Test
    void lfsAndRegularFilesLandInTheCacheLayout() throws IOException {
        HubDownloader d = downloader("hf_secret");
        Path weights = d.download("org/tiny-GGUF", "main", "tiny-Q4_K_M.gguf");
        Path config = d.download("org/tiny-GGUF", "main", "config.json");

        HubCache cache = new HubCache(cacheDir);
        assertThat(weights).isEqualTo(cache.pointer("org/tiny-GGUF", COMMIT, "tiny-Q4_K_M.gguf"));
        assertThat(Files.readAllBytes(weights)).isEqualTo(WEIGHTS);
        assertThat(Files.readSymbolicLink(weights).toString()).isEqualTo("../../blobs/" + FakeHub.sha256(WEIGHTS));
        assertThat(Files.readSymbolicLink(config).toString()).isEqualTo("../../blobs/" + FakeHub.gitSha1(CONFIG));
        assertThat(Files.readString(cache.repoDir("org/tiny-GGUF").resolve("refs/main"))).isEqualTo(COMMIT);
        assertThat(leftovers()).isEmpty();
        // the token goes to the hub, never to the file store it redirects to
        assertThat(hub.requests()).filteredOn(r -> r.port() == hub.cdnPort()).isNotEmpty()
                .allMatch(r -> r.authorization() == null);
        assertThat(hub.requests()).filteredOn(r -> r.port() != hub.cdnPort())
                .allMatch(r -> "Bearer hf_secret".equals(r.authorization()));
        // a second download is a cache hit: a HEAD, no GET
        long gets = hub.count("GET", "/cdn/");
        d.download("org/tiny-GGUF", "main", "tiny-Q4_K_M.gguf");
        assertThat(hub.count("GET", "/cdn/")).isEqualTo(gets);
    }

    @Test
    void aConnectionCutMidFileResumesWithRangeToTheRightBytes() throws IOException {
        hub.fault("/cdn/", new FakeHub.Fault.CutAfter(120_000)).fault("/cdn/", new FakeHub.Fault.CutAfter(50_000));
        List<String> events = new ArrayList<>();
        DownloadListener listener = new DownloadListener() {
            @Override
            public void started(String path, long total, long resumed) {
                events.add("started " + resumed + "/" + total);
            }

            @Override
            public void retrying(String path, int attempt, Duration delay, String reason) {
                events.add("retry " + attempt + " after " + delay.toSeconds() + "s");
            }
        };
        Path p = new HubDownloader(client(null, 4), new HubCache(cacheDir), listener)
                .download("org/tiny-GGUF", "main", "tiny-Q4_K_M.gguf");
        assertThat(Files.readAllBytes(p)).isEqualTo(WEIGHTS);
        List<String> ranges = hub.requests().stream().filter(r -> r.port() == hub.cdnPort())
                .map(FakeHub.Request::range).toList();
        assertThat(ranges).hasSize(3);
        assertThat(ranges.getFirst()).isNull();
        long firstResume = Long.parseLong(ranges.get(1).replace("bytes=", "").replace("-", ""));
        long secondResume = Long.parseLong(ranges.get(2).replace("bytes=", "").replace("-", ""));
        assertThat(firstResume).isPositive().isLessThanOrEqualTo(120_000);
        assertThat(secondResume).isGreaterThan(firstResume).isLessThanOrEqualTo(firstResume + 50_000);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(events).containsExactly("started 0/300000", "retry 1 after 1s", "started " + firstResume
                + "/300000", "retry 2 after 2s", "started " + secondResume + "/300000");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aStalledConnectionIsCutAndResumed() throws IOException {
        hub.fault("/cdn/", new FakeHub.Fault.Slow(3000));
        List<String> reasons = new ArrayList<>();
        HubSettings settings = new HubSettings(hub.endpoint(), null, cacheDir, false, List.of(), null);
        HubClient c = new HubClient(settings, HttpClient.newHttpClient(), new RetryPolicy(3, Duration.ofSeconds(1),
                Duration.ofSeconds(8), Duration.ofMillis(300)), sleeps::add);
        Path p = new HubDownloader(c, new HubCache(cacheDir), new DownloadListener() {
            @Override
            public void retrying(String path, int attempt, Duration delay, String reason) {
                reasons.add(reason);
            }
        }).download("org/tiny-GGUF", "main", "tiny-Q4_K_M.gguf");
        assertThat(Files.readAllBytes(p)).isEqualTo(WEIGHTS);
        assertThat(reasons).containsExactly("no data for 300 ms; reconnecting");
        List<String> ranges = hub.requests().stream().filter(r -> r.port() == hub.cdnPort())
                .map(FakeHub.Request::range).toList();
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(1)).isEqualTo("bytes=4096-"); // the one chunk that came before the stall
    }

    @Test
    void corruptedBytesFailTheHashAndLeaveTheCacheClean() throws IOException {
        hub.fault("/cdn/", new FakeHub.Fault.Corrupt());
        assertThatThrownBy(() -> downloader(null).download("org/tiny-GGUF", "main", "tiny-Q4_K_M.gguf"))
                .isInstanceOf(HubException.class).hasMessageContaining("is corrupt")
                .hasMessageContaining(FakeHub.sha256(WEIGHTS)).hasMessageContaining("cache is unchanged");
        HubCache cache = new HubCache(cacheDir);
        assertThat(Files.exists(cache.blob("org/tiny-GGUF", FakeHub.sha256(WEIGHTS)))).isFalse();
        assertThat(Files.exists(cache.repoDir("org/tiny-GGUF").resolve("snapshots"))).isFalse();
        assertThat(Files.exists(cache.repoDir("org/tiny-GGUF").resolve("refs"))).isFalse();
        assertThat(leftovers()).isEmpty();
        // the next attempt, with good bytes, succeeds
        assertThat(Files.readAllBytes(downloader(null).download("org/tiny-GGUF", "main", "tiny-Q4_K_M.gguf")))
                .isEqualTo(WEIGHTS);
        // a regular (git) file is checked against its git blob sha1
        hub.fault("/org/tiny-GGUF/resolve/", new FakeHub.Fault.Corrupt());
        assertThatThrownBy(() -> downloader(null).download("org/tiny-GGUF", "main", "config.json"))
                .isInstanceOf(HubException.class).hasMessageContaining("its git blob sha1 is")
                .hasMessageContaining(FakeHub.gitSha1(CONFIG));
        assertThat(Files.exists(cache.blob("org/tiny-GGUF", FakeHub.gitSha1(CONFIG)))).isFalse();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void serverErrorsAndRateLimitsAreRetriedWithBackoff() throws IOException {
        hub.fault("/cdn/", new FakeHub.Fault.Status(500, Map.of()))
                .fault("/cdn/", new FakeHub.Fault.Status(503, Map.of()))
                .fault("/org/tiny-GGUF/resolve/", new FakeHub.Fault.Status(429, Map.of("Retry-After", "5")));
        Path p = downloader(null).download("org/tiny-GGUF", "main", "tiny-Q4_K_M.gguf");
        assertThat(Files.readAllBytes(p)).isEqualTo(WEIGHTS);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void persistentRateLimitGivesUpWithAMessage() {
        for (int i = 0; i < 3; i++) {
            hub.fault("/org/tiny-GGUF/resolve/", new FakeHub.Fault.Status(429, Map.of()));
        }
        HubDownloader d = new HubDownloader(client(null, 3), new HubCache(cacheDir), DownloadListener.NONE);
        assertThatThrownBy(() -> d.download("org/tiny-GGUF", "main", "config.json"))
                .isInstanceOf(HubException.class).hasMessageContaining("rate limited by the hub (HTTP 429) 3 times")
                .hasMessageContaining("set HF_TOKEN");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void authAndNotFoundSayWhatToDo() {
        hub.fault("/org/tiny-GGUF/resolve/", new FakeHub.Fault.Status(401, Map.of()));
        assertThatThrownBy(() -> downloader(null).download("org/tiny-GGUF", "main", "config.json"))
                .isInstanceOf(HubException.class).hasMessageContaining("401").hasMessageContaining("set HF_TOKEN");
        hub.fault("/org/tiny-GGUF/resolve/", new FakeHub.Fault.Status(401, Map.of()));
        assertThatThrownBy(() -> downloader("hf_bad").download("org/tiny-GGUF", "main", "config.json"))
                .hasMessageContaining("refused the token in HF_TOKEN");
        hub.fault("/org/tiny-GGUF/resolve/", new FakeHub.Fault.Status(403, Map.of("X-Error-Code", "GatedRepo")));
        assertThatThrownBy(() -> downloader("hf_ok").download("org/tiny-GGUF", "main", "config.json"))
                .hasMessageContaining("is gated").hasMessageContaining("accept its licence on " + hub.endpoint()
                        + "/org/tiny-GGUF");
        assertThatThrownBy(() -> downloader(null).download("org/tiny-GGUF", "main", "nope.gguf"))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("no file 'nope.gguf'");
        assertThatThrownBy(() -> downloader(null).download("org/missing", "main", "x.gguf"))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("check the repository name");
        assertThatThrownBy(() -> downloader(null).download("org/tiny-GGUF", "v9", "config.json"))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("no revision 'v9'");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aServerThatIsNotAHubIsNotRetried() {
        hub.serve("/api/models/org/html", "<html>hello</html>".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> new HubApi(client(null, 4)).commitOf("org/html", "main"))
                .isInstanceOf(HubException.class).hasMessageContaining("is not valid JSON")
                .hasMessageContaining("is HF_ENDPOINT a Hugging Face hub?");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void anUnreachableHubFailsAtOnceAndPointsToOfflineMode() {
        HubSettings settings = new HubSettings(URI.create("http://127.0.0.1:1"), null, cacheDir, false, List.of(),
                null);
        HubClient c = new HubClient(settings, HttpClient.newHttpClient(),
                new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1)), sleeps::add);
        assertThatThrownBy(() -> new HubDownloader(c, new HubCache(cacheDir), DownloadListener.NONE)
                .download("o/r", "main", "f.gguf")).isInstanceOf(HubException.class)
                .hasMessageContaining("cannot connect to http://127.0.0.1:1")
                .hasMessageContaining("set HF_HUB_OFFLINE=1 or pass --offline").hasMessageContaining("HF_ENDPOINT");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void twoConcurrentDownloadsOfOneFileEndWithOneGoodCopy() throws Exception {
        hub.fault("/cdn/", new FakeHub.Fault.Slow(5)).fault("/cdn/", new FakeHub.Fault.Slow(5));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Path> task = () -> downloader(null).download("org/tiny-GGUF", "main", "tiny-Q4_K_M.gguf");
            Future<Path> a = pool.submit(task);
            Future<Path> b = pool.submit(task);
            assertThat(a.get()).isEqualTo(b.get());
            assertThat(Files.readAllBytes(a.get())).isEqualTo(WEIGHTS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(hub.count("GET", "/cdn/")).isEqualTo(1);
        try (Stream<Path> blobs = Files.list(new HubCache(cacheDir).repoDir("org/tiny-GGUF").resolve("blobs"))) {
            assertThat(blobs.toList()).hasSize(1);
        }
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void twoProcessesDownloadingOneFileEndWithOneGoodCopy() throws Exception {
        // slow enough (about 1 s) that the second JVM starts while the first is still writing
        hub.fault("/cdn/", new FakeHub.Fault.Slow(15)).fault("/cdn/", new FakeHub.Fault.Slow(15));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    DownloadProcess.class.getName(), hub.endpoint().toString(), cacheDir.toString(), "org/tiny-GGUF",
                    "tiny-Q4_K_M.gguf").redirectErrorStream(true).start());
        }
        List<String> outputs = new ArrayList<>();
        for (Process p : processes) {
            outputs.add(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
            assertThat(p.waitFor()).as(outputs.getLast()).isZero();
        }
        Path expected = new HubCache(cacheDir).pointer("org/tiny-GGUF", COMMIT, "tiny-Q4_K_M.gguf");
        assertThat(outputs).containsExactly(expected.toString(), expected.toString());
        assertThat(Files.readAllBytes(expected)).isEqualTo(WEIGHTS);
        assertThat(hub.count("GET", "/cdn/")).isEqualTo(1);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void repoRefsFetchTheChosenQuantOrTheSafetensorsSet() throws IOException {
        byte[] st = random(5000, 3);
        hub.repo("org/tiny-st", COMMIT, Map.of("config.json", CONFIG, "tokenizer.json", bytes("{}"),
                "model.safetensors", st, "README.md", bytes("x"), "pytorch_model.bin", random(10, 4)),
                List.of("model.safetensors", "pytorch_model.bin"));
        HubDownloader d = downloader(null);
        Path q4 = d.fetch((ModelRef.Hub) ModelRef.parse("org/tiny-GGUF"));
        assertThat(q4.getFileName().toString()).isEqualTo("tiny-Q4_K_M.gguf");
        assertThat(d.fetch((ModelRef.Hub) ModelRef.parse("org/tiny-GGUF:q8_0")).getFileName().toString())
                .isEqualTo("tiny-Q8_0.gguf");
        assertThat(ModelResolver.filesIn(q4.getParent())).containsExactly("tiny-Q4_K_M.gguf", "tiny-Q8_0.gguf");

        Path dir = d.fetch((ModelRef.Hub) ModelRef.parse("org/tiny-st"));
        assertThat(dir).isEqualTo(new HubCache(cacheDir).snapshotDir("org/tiny-st", COMMIT));
        assertThat(ModelResolver.filesIn(dir)).containsExactly("config.json", "model.safetensors", "tokenizer.json");
        assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(st);
        // the tree listing came in pages of two, chained by Link headers
        assertThat(hub.count("GET", "/api/models/org/tiny-st/tree/")).isEqualTo(3);
    }

    @Test
    void splitGgufPartsAreFetchedTogether() throws IOException {
        byte[] p1 = random(2000, 5);
        byte[] p2 = random(1000, 6);
        hub.repo("org/big-GGUF", COMMIT, Map.of("Q8_0/big-Q8_0-00001-of-00002.gguf", p1,
                "Q8_0/big-Q8_0-00002-of-00002.gguf", p2), List.of("Q8_0/big-Q8_0-00001-of-00002.gguf",
                "Q8_0/big-Q8_0-00002-of-00002.gguf"));
        ModelResolver resolver = new ModelResolver(List.of(), cacheDir, false, downloader(null));
        Path first = resolver.resolve(ModelRef.parse("org/big-GGUF:Q8_0"));
        assertThat(Files.readAllBytes(first)).isEqualTo(p1);
        assertThat(Files.readAllBytes(first.resolveSibling("big-Q8_0-00002-of-00002.gguf"))).isEqualTo(p2);
        // now a cache hit, even offline
        assertThat(new ModelResolver(List.of(), cacheDir, true).resolve(ModelRef.parse("org/big-GGUF:Q8_0")))
                .isEqualTo(first);
    }

    @Test
    void renamedRepositoriesFollowTheRelativeRedirect() throws IOException {
        hub.rename("old/tiny", "org/tiny-GGUF");
        Path p = downloader(null).download("old/tiny", "main", "config.json");
        assertThat(Files.readAllBytes(p)).isEqualTo(CONFIG);
    }

    @Test
    void readRangeReadsAHeaderWithoutTheWeights() {
        HubClient c = client(null, 2);
        assertThat(c.readRange("org/tiny-GGUF", "main", "tiny-Q4_K_M.gguf", 0, 16))
                .isEqualTo(java.util.Arrays.copyOfRange(WEIGHTS, 0, 16));
        assertThat(c.readRange("org/tiny-GGUF", "main", "tiny-Q4_K_M.gguf", 299_990, 100))
                .isEqualTo(java.util.Arrays.copyOfRange(WEIGHTS, 299_990, 300_000));
        assertThat(c.readRange("org/tiny-GGUF", "main", "config.json", 2, 10))
                .isEqualTo(java.util.Arrays.copyOfRange(CONFIG, 2, 12));
        assertThat(c.readRange("org/tiny-GGUF", "main", "config.json", 10_000, 10)).isEmpty();
        assertThat(hub.requests()).filteredOn(r -> r.port() == hub.cdnPort()).extracting(FakeHub.Request::range)
                .containsExactly("bytes=0-15", "bytes=299990-300089");
    }

    /** Anything half-written: .incomplete blobs, temporary links or refs. */
    private List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.walk(cacheDir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".incomplete") || n.endsWith(".tmp") || n.endsWith(".lnk");
            }).toList();
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, byte[]> files(Object... pathsAndBytes) {
        Map<String, byte[]> m = new HashMap<>();
        for (int i = 0; i < pathsAndBytes.length; i += 2) {
            m.put((String) pathsAndBytes[i], (byte[]) pathsAndBytes[i + 1]);
        }
        return m;
    }
}
