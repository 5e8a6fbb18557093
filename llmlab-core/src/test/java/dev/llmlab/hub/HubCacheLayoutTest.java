package dev.llmlab.hub;

import dev.llmlab.testing.CacheSeed;
import dev.llmlab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache layout against huggingface_hub's documented spec ("Manage huggingface_hub cache-system", the
 * cache guide): {@code <CACHE_DIR>/models--<org>--<name>/} holding {@code refs/<revision>} (a file whose
 * content is the commit hash), {@code blobs/<hash>} (the file contents, named by git sha1 for regular files and
 * sha256 for LFS files) and {@code snapshots/<commit>/<path>} (symlinks to the blobs, relative paths), and
 * optionally {@code .no_exist}. The guide's example is the julien-c/EsperBERTo-small tree.
 */
class HubCacheLayoutTest {
    private static final String COMMIT = "2439f60ef33a0d46d85da5001d52aeda5b00ce9f";
    private static final String README_SHA1 = "d7edf6bd2a681fb0175f7735299831ee1b22b812";
    private static final String WEIGHTS_SHA256 = "403450e234d65943a7dcf7e05a771ce3c92faa84dd07db4ac20f592037a1e4bd";

    @TempDir
    Path root;

    @Test
    void writesTheDocumentedTree() throws IOException {
        HubCache cache = new HubCache(root);
        writeBlob(cache, "julien-c/EsperBERTo-small", README_SHA1, "readme");
        writeBlob(cache, "julien-c/EsperBERTo-small", WEIGHTS_SHA256, "weights");
        cache.link("julien-c/EsperBERTo-small", COMMIT, "README.md", README_SHA1);
        cache.link("julien-c/EsperBERTo-small", COMMIT, "pytorch_model.bin", WEIGHTS_SHA256);
        cache.link("julien-c/EsperBERTo-small", COMMIT, "sub/dir/config.json", README_SHA1);
        cache.writeRef("julien-c/EsperBERTo-small", "main", COMMIT);

        Path repo = root.resolve("models--julien-c--EsperBERTo-small");
        assertThat(tree(root)).containsExactly(
                "models--julien-c--EsperBERTo-small",
                "models--julien-c--EsperBERTo-small/blobs",
                "models--julien-c--EsperBERTo-small/blobs/" + WEIGHTS_SHA256,
                "models--julien-c--EsperBERTo-small/blobs/" + README_SHA1,
                "models--julien-c--EsperBERTo-small/refs",
                "models--julien-c--EsperBERTo-small/refs/main",
                "models--julien-c--EsperBERTo-small/snapshots",
                "models--julien-c--EsperBERTo-small/snapshots/" + COMMIT,
                "models--julien-c--EsperBERTo-small/snapshots/" + COMMIT + "/README.md",
                "models--julien-c--EsperBERTo-small/snapshots/" + COMMIT + "/pytorch_model.bin",
                "models--julien-c--EsperBERTo-small/snapshots/" + COMMIT + "/sub",
                "models--julien-c--EsperBERTo-small/snapshots/" + COMMIT + "/sub/dir",
                "models--julien-c--EsperBERTo-small/snapshots/" + COMMIT + "/sub/dir/config.json");
        // refs/main: exactly the 40-character hash (the guide's listing shows a 40-byte file)
        assertThat(Files.readString(repo.resolve("refs/main"))).isEqualTo(COMMIT);
        assertThat(Files.size(repo.resolve("refs/main"))).isEqualTo(40);
        // snapshot entries are relative symlinks into ../../blobs, as in the guide
        Path snapshot = repo.resolve("snapshots").resolve(COMMIT);
        assertThat(Files.readSymbolicLink(snapshot.resolve("README.md")).toString())
                .isEqualTo("../../blobs/" + README_SHA1);
        assertThat(Files.readSymbolicLink(snapshot.resolve("pytorch_model.bin")).toString())
                .isEqualTo("../../blobs/" + WEIGHTS_SHA256);
        assertThat(Files.readSymbolicLink(snapshot.resolve("sub/dir/config.json")).toString())
                .isEqualTo("../../../../blobs/" + README_SHA1);
        assertThat(Files.readString(snapshot.resolve("sub/dir/config.json"))).isEqualTo("readme");
    }

    @Test
    void readsACacheLaidOutByHuggingfaceHub() throws IOException {
        // built by hand exactly as the guide draws it, not through HubCache
        Path repo = Files.createDirectories(root.resolve("models--ggml-org--tiny-llamas"));
        Path source = Fixtures.sharedFile("models/stories260K.gguf");
        String sha = CacheSeed.sha256(source);
        Files.createDirectories(repo.resolve("blobs"));
        Files.copy(source, repo.resolve("blobs").resolve(sha));
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT));
        Files.createSymbolicLink(snapshot.resolve("stories260K.gguf"), Path.of("../../blobs/" + sha));
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), COMMIT);
        Files.createDirectories(repo.resolve(".no_exist").resolve(COMMIT));

        ModelResolver resolver = new ModelResolver(List.of(), root, true);
        assertThat(resolver.resolve(ModelRef.parse("ggml-org/tiny-llamas/stories260K.gguf")))
                .isEqualTo(snapshot.resolve("stories260K.gguf"));
        assertThat(resolver.resolve(ModelRef.parse("ggml-org/tiny-llamas")))
                .isEqualTo(snapshot.resolve("stories260K.gguf"));
        assertThat(resolver.resolve(ModelRef.parse("ggml-org/tiny-llamas@" + COMMIT)))
                .isEqualTo(snapshot.resolve("stories260K.gguf"));
        HubCache.Entry entry = new HubCache(root).entries().getFirst();
        assertThat(entry.repo()).isEqualTo("ggml-org/tiny-llamas");
        assertThat(entry.sizeBytes()).isEqualTo(Files.size(source));
        assertThat(entry.files()).isEqualTo(1);
        assertThat(entry.revisions()).containsExactly("main");
    }

    @Test
    void removingOneRevisionKeepsBlobsOtherSnapshotsUse() throws IOException {
        HubCache cache = new HubCache(root);
        String older = "1111111111111111111111111111111111111111";
        writeBlob(cache, "o/r", README_SHA1, "shared");
        writeBlob(cache, "o/r", WEIGHTS_SHA256, "only in main");
        cache.link("o/r", COMMIT, "a.txt", README_SHA1);
        cache.link("o/r", COMMIT, "b.bin", WEIGHTS_SHA256);
        cache.link("o/r", older, "a.txt", README_SHA1);
        cache.writeRef("o/r", "main", COMMIT);
        cache.writeRef("o/r", "v1", older);

        assertThat(cache.remove("o/r", "main")).isEqualTo("only in main".length());
        assertThat(Files.exists(cache.blob("o/r", README_SHA1))).isTrue();
        assertThat(Files.exists(cache.blob("o/r", WEIGHTS_SHA256))).isFalse();
        assertThat(cache.commitOf("o/r", "main")).isEmpty();
        assertThat(cache.snapshot("o/r", "v1")).isPresent();
        assertThat(cache.remove("o/r", null)).isEqualTo("shared".length());
        assertThat(Files.exists(cache.repoDir("o/r"))).isFalse();
    }

    private static void writeBlob(HubCache cache, String repo, String etag, String content) throws IOException {
        Files.createDirectories(cache.blob(repo, etag).getParent());
        Files.writeString(cache.blob(repo, etag), content);
    }

    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
