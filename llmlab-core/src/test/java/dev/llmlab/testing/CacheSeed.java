package dev.llmlab.testing;

import dev.llmlab.hub.HubCache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Puts files into a Hugging Face cache layout in a temporary directory, as a download would leave them. */
public final class CacheSeed {
    /** A made-up but well-formed commit hash for seeded snapshots. */
    public static final String COMMIT = "3f0c6a2b1d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a";

    private CacheSeed() {
    }

    /** Copies {@code source} as {@code path} of {@code repo} at {@link #COMMIT}, refs/main pointing there. */
    public static Path seed(Path cacheDir, String repo, String path, Path source) throws IOException {
        HubCache cache = new HubCache(cacheDir);
        String etag = sha256(source);
        Path blob = cache.blob(repo, etag);
        Files.createDirectories(blob.getParent());
        if (!Files.exists(blob)) {
            Files.copy(source, blob);
        }
        Path pointer = cache.link(repo, COMMIT, path, etag);
        cache.writeRef(repo, "main", COMMIT);
        return pointer;
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
