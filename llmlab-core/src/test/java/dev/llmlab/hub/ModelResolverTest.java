package dev.llmlab.hub;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.error.ModelNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelResolverTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    @TempDir
    Path dir;

    @Test
    void findsHubFileOnTheSearchPath() throws IOException {
        Path models = Files.createDirectories(dir.resolve("models"));
        Path model = Files.writeString(models.resolve("stories260K.gguf"), "x");
        ModelResolver resolver = new ModelResolver(List.of(dir.resolve("missing"), models), dir.resolve("cache"), true);
        assertThat(resolver.resolve(ModelRef.parse(ModelResolver.DEFAULT_MODEL))).isEqualTo(model);
    }

    @Test
    void findsFilesInTheHuggingFaceCacheLayout() throws IOException {
        Path repo = dir.resolve("cache/models--org--tiny-GGUF");
        Path snapshot = Files.createDirectories(repo.resolve("snapshots/0123abc"));
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), "0123abc\n");
        Path q4 = Files.writeString(snapshot.resolve("tiny-Q4_K_M.gguf"), "x");
        Path q8 = Files.writeString(snapshot.resolve("tiny-Q8_0.gguf"), "x");
        ModelResolver resolver = new ModelResolver(List.of(), dir.resolve("cache"), true);
        assertThat(resolver.resolve(ModelRef.parse("org/tiny-GGUF"))).isEqualTo(q4);
        assertThat(resolver.resolve(ModelRef.parse("org/tiny-GGUF:q8_0"))).isEqualTo(q8);
        assertThat(resolver.resolve(ModelRef.parse("org/tiny-GGUF/tiny-Q8_0.gguf"))).isEqualTo(q8);
        assertThatThrownBy(() -> resolver.resolve(ModelRef.parse("org/tiny-GGUF:Q2_K")))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("tiny-Q8_0.gguf");
    }

    @Test
    void ambiguousTagListsTheCandidates() throws IOException {
        Path snapshot = Files.createDirectories(dir.resolve("cache/models--o--r/snapshots/" + COMMIT));
        Files.createDirectories(dir.resolve("cache/models--o--r/refs"));
        Files.writeString(dir.resolve("cache/models--o--r/refs/main"), COMMIT);
        Files.writeString(snapshot.resolve("a-Q4_0.gguf"), "x");
        Files.writeString(snapshot.resolve("b-Q4_0.gguf"), "x");
        ModelResolver resolver = new ModelResolver(List.of(), dir.resolve("cache"), true);
        assertThatThrownBy(() -> resolver.resolve(ModelRef.parse("o/r:Q4_0")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("a-Q4_0.gguf, b-Q4_0.gguf");
    }

    @Test
    void unresolvableRefSaysWhatToDo() {
        ModelResolver resolver = new ModelResolver(List.of(), dir, true);
        assertThatThrownBy(() -> resolver.resolve(ModelRef.parse("org/none/x.gguf")))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("not in the cache")
                .hasMessageContaining("offline mode is on")
                .hasMessageContaining("llmlab download org/none/x.gguf")
                .hasMessageContaining("pass --model FILE or set LLMLAB_MODEL_PATH to a directory holding x.gguf");
        assertThatThrownBy(() -> resolver.resolve(ModelRef.parse(dir.resolve("nope.gguf").toString())))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("no such model file");
    }

    @Test
    void cacheMissWhenOnlineGoesToTheFetcherWithTheRef() throws IOException {
        Path fetched = Files.writeString(dir.resolve("fetched.gguf"), "x");
        List<ModelRef.Hub> asked = new java.util.ArrayList<>();
        ModelResolver resolver = new ModelResolver(List.of(), dir.resolve("cache"), false, ref -> {
            asked.add(ref);
            return fetched;
        });
        assertThat(resolver.resolve(ModelRef.parse("org/repo:Q8_0"))).isEqualTo(fetched);
        assertThat(asked).containsExactly(new ModelRef.Hub("org/repo", "main", null, "Q8_0"));
        ModelResolver offline = new ModelResolver(List.of(), dir.resolve("cache"), true, ref -> {
            throw new AssertionError("offline must not fetch");
        });
        assertThatThrownBy(() -> offline.resolve(ModelRef.parse("org/repo"))).isInstanceOf(ModelNotFoundException.class);
    }

    @Test
    void incompleteSplitOrSafetensorsSnapshotsAreNotCacheHits() throws IOException {
        Path repo = dir.resolve("cache/models--o--r");
        Path snapshot = Files.createDirectories(repo.resolve("snapshots/" + COMMIT));
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), COMMIT);
        Files.writeString(snapshot.resolve("m-Q4_K_M-00001-of-00002.gguf"), "x");
        ModelResolver resolver = new ModelResolver(List.of(), dir.resolve("cache"), true);
        assertThatThrownBy(() -> resolver.resolve(ModelRef.parse("o/r"))).isInstanceOf(ModelNotFoundException.class);
        Files.writeString(snapshot.resolve("m-Q4_K_M-00002-of-00002.gguf"), "x");
        assertThat(resolver.resolve(ModelRef.parse("o/r"))).isEqualTo(snapshot.resolve("m-Q4_K_M-00001-of-00002.gguf"));

        Path st = Files.createDirectories(dir.resolve("cache/models--o--st/snapshots/" + COMMIT));
        Files.createDirectories(dir.resolve("cache/models--o--st/refs"));
        Files.writeString(dir.resolve("cache/models--o--st/refs/main"), COMMIT);
        Files.writeString(st.resolve("config.json"), "{}");
        Files.writeString(st.resolve("model.safetensors"), "x");
        assertThat(resolver.resolve(ModelRef.parse("o/st"))).isEqualTo(st);
    }

    @Test
    void readsTheEnvironmentOnce() {
        ModelResolver r = ModelResolver.fromEnvironment(Map.of("LLMLAB_MODEL_PATH", "/a:/b", "HF_HOME", "/hf",
                "HF_HUB_OFFLINE", "1"));
        assertThat(r.searchPath()).containsExactly(Path.of("/a"), Path.of("/b"));
        assertThat(r.cacheDir()).isEqualTo(Path.of("/hf/hub"));
        assertThat(r.offline()).isTrue();
        assertThat(ModelResolver.fromEnvironment(Map.of()).cacheDir()).isEqualTo(Path.of("models_cache"));
        assertThat(ModelResolver.fromEnvironment(Map.of("LLMLAB_CACHE", "/c", "HF_HOME", "/hf")).cacheDir())
                .isEqualTo(Path.of("/c"));
    }
}
