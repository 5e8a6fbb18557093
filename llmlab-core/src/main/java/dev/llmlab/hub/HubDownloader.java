package dev.llmlab.hub;

import dev.llmlab.error.HubException;
import dev.llmlab.error.ModelNotFoundException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Downloads hub files into the {@link HubCache}, as huggingface_hub does: HEAD the resolve URL for the commit
 * and the blob's etag; if the blob is missing, take the blob's lock file, append to {@code ETAG.incomplete}
 * from where an earlier attempt stopped (HTTP Range), retry cut connections and 429/5xx with backoff, check the
 * bytes against the etag (sha256 for LFS files, git's blob sha1 for the others), rename into {@code blobs/}, then
 * link {@code snapshots/COMMIT/PATH} and write {@code refs/REVISION}. Nothing half-written is ever visible.
 */
public final class HubDownloader implements ModelFetcher {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");
    /** File locks are per process; threads of this process queue here first (OverlappingFileLockException). */
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>();

    private final HubClient client;
    private final HubApi api;
    private final HubCache cache;
    private final DownloadListener listener;

    public HubDownloader(HubClient client, HubCache cache, DownloadListener listener) {
        this.client = client;
        this.api = new HubApi(client);
        this.cache = cache;
        this.listener = listener;
    }

    /**
     * Brings everything a ref needs into the cache: the named file (all parts of a split GGUF), or the GGUF its
     * quant tag picks, or a safetensors model's files. Returns the file to load, or the snapshot directory.
     */
    @Override
    public Path fetch(ModelRef.Hub ref) {
        if (ref.file() != null) {
            List<String> parts = RepoFiles.withSplitParts(ref.file());
            String commit = null;
            Path first = null;
            for (String part : parts) {
                Path p = download(ref.repo(), commit != null ? commit : ref.revision(), part);
                commit = commit != null ? commit : commitOfPointer(ref.repo(), p);
                first = first != null ? first : p;
            }
            return first;
        }
        String commit = api.commitOf(ref.repo(), ref.revision());
        List<String> paths = api.listFiles(ref.repo(), commit).stream().map(RepoFile::path).toList();
        RepoFiles.Selection selection = RepoFiles.select(ref, paths).orElseThrow(() -> new ModelNotFoundException(
                ref.repo() + " holds no .gguf and no .safetensors weights that llmlab can load (files: "
                        + String.join(", ", paths.stream().limit(12).toList()) + (paths.size() > 12 ? ", ..." : "")
                        + ")"));
        for (String file : selection.files()) {
            download(ref.repo(), commit, file);
        }
        writeRef(ref.repo(), ref.revision(), commit);
        return selection.primary() == null ? cache.snapshotDir(ref.repo(), commit)
                : cache.pointer(ref.repo(), commit, selection.primary());
    }

    private String commitOfPointer(String repo, Path pointer) {
        Path snapshots = cache.repoDir(repo).resolve("snapshots");
        return snapshots.relativize(pointer).getName(0).toString();
    }

    /** One file of a repository into the cache; returns its snapshot path. */
    public Path download(String repo, String revision, String path) {
        FileMetadata meta = client.fileMetadata(repo, revision, path);
        Path pointer = cache.pointer(repo, meta.commit(), path);
        try {
            if (Files.isRegularFile(cache.blob(repo, meta.etag()))) {
                listener.finished(path, meta.sizeBytes(), true);
            } else {
                fetchBlob(repo, meta, path);
            }
            cache.link(repo, meta.commit(), path, meta.etag());
            cache.writeRef(repo, revision, meta.commit());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + " of " + repo + " into the cache "
                    + cache.root().toAbsolutePath() + ": " + e.getMessage(), e);
        }
        return pointer;
    }

    private void writeRef(String repo, String revision, String commit) {
        try {
            cache.writeRef(repo, revision, commit);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ref " + revision + " of " + repo + ": " + e.getMessage(), e);
        }
    }

    private void fetchBlob(String repo, FileMetadata meta, String path) throws IOException {
        Path blob = cache.blob(repo, meta.etag());
        Path part = cache.incomplete(repo, meta.etag());
        Path lockPath = cache.lockFile(repo, meta.etag());
        Files.createDirectories(blob.getParent());
        Files.createDirectories(lockPath.getParent());
        ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(lockPath.toAbsolutePath().normalize(),
                k -> new ReentrantLock());
        local.lock();
        try (FileChannel lockChannel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockChannel.lock()) {
            if (Files.isRegularFile(blob)) { // another process or thread finished it while we waited
                listener.finished(path, meta.sizeBytes(), true);
                return;
            }
            HubClient.Target target = new HubClient.Target(repo, meta.commit(), path);
            client.withRetries(target, listener, attempt -> {
                transferOnce(repo, meta, path, part, target);
                return null;
            });
            verify(repo, meta, path, part);
            HubCache.move(part, blob);
            listener.finished(path, Files.size(blob), false);
        } finally {
            local.unlock();
        }
    }

    /** One attempt: appends to the partial file from where it ends; throws IOException if cut short. */
    private void transferOnce(String repo, FileMetadata meta, String path, Path part, HubClient.Target target)
            throws IOException {
        long total = meta.sizeBytes();
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (total >= 0 && have > total) {
            Files.delete(part);
            have = 0;
        }
        if (total >= 0 && have == total && have > 0) {
            return;
        }
        HttpResponse<InputStream> r = client.openDownload(client.resolveUrl(repo, meta.commit(), path), have, target);
        AtomicLong lastByteNanos = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        try (InputStream in = r.body()) {
            Thread watchdog = stallWatchdog(in, lastByteNanos, stalled);
            try {
                if (r.statusCode() == 416) {
                    Files.deleteIfExists(part);
                    throw new IOException("the server refused to resume at byte " + have + " (416); starting over");
                }
                boolean append = r.statusCode() == 206 && rangeStart(r) == have;
                long done = append ? have : 0;
                listener.started(path, total, done);
                try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        lastByteNanos.set(System.nanoTime());
                        ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
                        while (b.hasRemaining()) {
                            out.write(b);
                        }
                        done += n;
                        listener.progress(path, done, total);
                    }
                    out.force(true);
                }
                if (total >= 0 && done != total) {
                    throw new IOException("connection closed after " + done + " of " + total + " bytes");
                }
            } catch (IOException e) {
                throw stalled.get() ? new IOException("no data for " + HubErrors.seconds(stallTimeout())
                        + "; reconnecting", e) : e;
            } finally {
                watchdog.interrupt();
            }
        }
    }

    private java.time.Duration stallTimeout() {
        return client.retryPolicy().stallTimeout();
    }

    /** Closes {@code in} when no byte arrived for the stall timeout, which fails the blocked read. */
    private Thread stallWatchdog(InputStream in, AtomicLong lastByteNanos, AtomicBoolean stalled) {
        long stallNanos = stallTimeout().toNanos();
        long pollMillis = Math.clamp(stallNanos / 4_000_000, 10, 1000);
        return Thread.ofVirtual().name("llmlab-download-watchdog").start(() -> {
            try {
                while (true) {
                    Thread.sleep(pollMillis);
                    if (System.nanoTime() - lastByteNanos.get() > stallNanos) {
                        stalled.set(true);
                        in.close();
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // the transfer ended: nothing to watch
            } catch (IOException e) {
                // closing a stream we abandon: the blocked read fails either way and is retried
            }
        });
    }

    private static long rangeStart(HttpResponse<?> r) {
        // Content-Range: bytes START-END/TOTAL
        String range = r.headers().firstValue("Content-Range").orElse("");
        int space = range.indexOf(' ');
        int dash = range.indexOf('-');
        try {
            return space >= 0 && dash > space ? Long.parseLong(range.substring(space + 1, dash).strip()) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The bytes must hash to the etag; if not, the partial file goes and the cache stays as it was. */
    private void verify(String repo, FileMetadata meta, String path, Path part) throws IOException {
        String etag = meta.etag();
        String actual;
        String algorithm;
        if (SHA256.matcher(etag).matches()) {
            algorithm = "sha256";
            actual = digest(part, "SHA-256", null);
        } else if (SHA1.matcher(etag).matches() && !meta.lfs()) {
            algorithm = "git blob sha1";
            actual = digest(part, "SHA-1", ("blob " + Files.size(part) + "\0").getBytes(StandardCharsets.US_ASCII));
        } else {
            return; // an etag that is not a content hash: the size check is all there is
        }
        if (!actual.equals(etag)) {
            Files.deleteIfExists(part);
            throw new HubException("the downloaded " + path + " of " + repo + " is corrupt: its " + algorithm
                    + " is " + actual + ", the hub says " + etag + "; it was deleted and the cache is unchanged: "
                    + "run the command again");
        }
    }

    static String digest(Path file, String algorithm, byte[] prefix) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            if (prefix != null) {
                md.update(prefix);
            }
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }
}
