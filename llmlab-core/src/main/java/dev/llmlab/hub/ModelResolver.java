package dev.llmlab.hub;

import dev.llmlab.error.ModelNotFoundException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns a {@link ModelRef} into what the engine loads: a local path as is; a hub ref from the Hugging Face
 * cache ({@link HubCache}), else from the model search path (directories holding model files by name), else,
 * when online, downloaded into the cache by the {@link ModelFetcher}. The cache is trusted without asking the
 * hub (models are downloaded once); {@code llmlab download} checks for newer commits.
 *
 * @param searchPath directories searched by file name (LLMLAB_MODEL_PATH)
 * @param cacheDir   the Hugging Face style cache directory
 * @param offline    never reach the network
 * @param fetcher    downloads a ref into the cache; unused when offline
 */
public record ModelResolver(List<Path> searchPath, Path cacheDir, boolean offline, ModelFetcher fetcher) {

    /** The default model: the 260K-parameter TinyStories Llama that llama.cpp tests with. */
    public static final String DEFAULT_MODEL = "ggml-org/tiny-llamas/stories260K.gguf";
    /** Preferred quantization when a GGUF repository offers several. */
    public static final String DEFAULT_QUANT = "Q4_K_M";

    public ModelResolver {
        searchPath = List.copyOf(searchPath);
    }

    /** A resolver that never downloads (offline, or tests). */
    public ModelResolver(List<Path> searchPath, Path cacheDir, boolean offline) {
        this(searchPath, cacheDir, offline, null);
    }

    /** The resolver for these settings: downloads through {@code fetcher} unless offline. */
    public static ModelResolver of(HubSettings settings, ModelFetcher fetcher) {
        return new ModelResolver(settings.searchPath(), settings.cacheDir(), settings.offline(), fetcher);
    }

    /** Offline-only resolution from the environment variables (LLMLAB_MODEL_PATH, the cache variables). */
    public static ModelResolver fromEnvironment(Map<String, String> env) {
        HubSettings s = HubSettings.fromEnvironment(env);
        return new ModelResolver(s.searchPath(), s.cacheDir(), s.offline());
    }

    public Path resolve(ModelRef ref) {
        return switch (ref) {
            case ModelRef.Local local -> resolveLocal(local.path());
            case ModelRef.Hub hub -> fromCache(hub).or(() -> fromSearchPath(hub)).orElseGet(() -> download(hub));
        };
    }

    private Path download(ModelRef.Hub hub) {
        if (offline || fetcher == null) {
            String what = hub.file() != null ? fileName(hub.file()) : "its model files";
            throw new ModelNotFoundException("model '" + hub + "' is not in the cache (" + cacheDir.toAbsolutePath()
                    + ")" + (offline ? " and offline mode is on (HF_HUB_OFFLINE or --offline)" : "")
                    + ": run `llmlab download " + hub + "` while online, or, offline: pass --model FILE or set "
                    + "LLMLAB_MODEL_PATH to a directory holding " + what);
        }
        return fetcher.fetch(hub);
    }

    private static Path resolveLocal(Path path) {
        if (Files.isRegularFile(path)) {
            return path;
        }
        if (Files.isDirectory(path)) {
            List<Path> ggufs = ggufFiles(path);
            if (ggufs.size() == 1) {
                return ggufs.getFirst();
            }
            if (ggufs.isEmpty() && Files.isRegularFile(path.resolve("config.json"))) {
                return path;
            }
            throw new ModelNotFoundException(ggufs.isEmpty()
                    ? "no .gguf model file (nor config.json) in directory " + path + ": pass the model file itself"
                    : "several .gguf files in " + path + " (" + names(ggufs) + "): pass one of them");
        }
        throw new ModelNotFoundException("no such model file: " + path.toAbsolutePath()
                + "; check the path, or name a hub model like org/repo");
    }

    /** The cached snapshot of the ref's revision, when it holds every file the ref needs. */
    private Optional<Path> fromCache(ModelRef.Hub hub) {
        HubCache cache = new HubCache(cacheDir);
        Optional<Path> snapshot = cache.snapshot(hub.repo(), hub.revision());
        if (snapshot.isEmpty()) {
            return Optional.empty();
        }
        Path dir = snapshot.get();
        return RepoFiles.select(hub, filesIn(dir))
                .filter(sel -> sel.files().stream().allMatch(f -> Files.isRegularFile(dir.resolve(f))))
                .map(sel -> sel.primary() == null ? dir : dir.resolve(sel.primary()));
    }

    /** Paths (with '/') of the regular files below a snapshot; dangling links are left out. */
    static List<String> filesIn(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private Optional<Path> fromSearchPath(ModelRef.Hub hub) {
        for (Path dir : searchPath) {
            if (hub.file() != null) {
                for (Path candidate : List.of(dir.resolve(hub.file()), dir.resolve(fileName(hub.file())))) {
                    if (Files.isRegularFile(candidate)) {
                        return Optional.of(candidate);
                    }
                }
            } else if (Files.isDirectory(dir)) {
                String name = hub.name().toLowerCase(Locale.ROOT).replace("-gguf", "");
                List<String> matching = ggufFiles(dir).stream().map(p -> p.getFileName().toString())
                        .filter(n -> n.toLowerCase(Locale.ROOT).contains(name)).toList();
                Optional<RepoFiles.Selection> chosen = matching.isEmpty() ? Optional.empty()
                        : RepoFiles.select(hub, matching);
                if (chosen.isPresent()) {
                    return Optional.of(dir.resolve(chosen.get().primary()));
                }
            }
        }
        return Optional.empty();
    }

    private static List<Path> ggufFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> RepoFiles.isGguf(p.getFileName().toString()))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String names(List<Path> files) {
        return String.join(", ", files.stream().map(p -> p.getFileName().toString()).toList());
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
