package dev.llmlab.hub;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.error.ModelNotFoundException;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns a {@link ModelRef} into a local file: a local path as is; a hub ref from the Hugging Face cache layout
 * ({@code models--org--repo/snapshots/<commit>/...}) or, failing that, from the model search path (directories
 * that hold model files by name). Downloading is not done here.
 *
 * @param searchPath directories searched by file name (LLMLAB_MODEL_PATH)
 * @param cacheDir   the Hugging Face style cache directory
 * @param offline    never reach the network (today resolution is always local)
 */
public record ModelResolver(List<Path> searchPath, Path cacheDir, boolean offline) {

    /** The default model: the 260K-parameter TinyStories Llama that llama.cpp tests with. */
    public static final String DEFAULT_MODEL = "ggml-org/tiny-llamas/stories260K.gguf";
    /** Preferred quantization when a GGUF repository offers several. */
    public static final String DEFAULT_QUANT = "Q4_K_M";

    public ModelResolver {
        searchPath = List.copyOf(searchPath);
    }

    /** Reads LLMLAB_MODEL_PATH, LLMLAB_CACHE / HF_HUB_CACHE / HF_HOME, HF_HUB_OFFLINE once, at the edge. */
    public static ModelResolver fromEnvironment(Map<String, String> env) {
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
            cache = Path.of("models_cache");
        }
        String off = env.getOrDefault("HF_HUB_OFFLINE", "").toLowerCase(Locale.ROOT);
        boolean offline = off.equals("1") || off.equals("true") || off.equals("yes");
        return new ModelResolver(path, cache, offline);
    }

    public Path resolve(ModelRef ref) {
        return switch (ref) {
            case ModelRef.Local local -> resolveLocal(local.path());
            case ModelRef.Hub hub -> fromCache(hub).or(() -> fromSearchPath(hub)).orElseThrow(() ->
                    new ModelNotFoundException("model '" + hub + "' is not in the cache (" + cacheDir
                            + ") and offline: pass --model FILE or set LLMLAB_MODEL_PATH to a directory holding "
                            + (hub.file() != null ? fileName(hub.file()) : "its .gguf file")));
        };
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
            throw new ModelNotFoundException(ggufs.isEmpty()
                    ? "no .gguf model file in directory " + path + ": pass the model file itself"
                    : "several .gguf files in " + path + " (" + names(ggufs) + "): pass one of them");
        }
        throw new ModelNotFoundException("no such model file: " + path.toAbsolutePath()
                + "; check the path, or name a hub model like org/repo");
    }

    /** The standard HF cache: refs/REVISION holds a commit; snapshots/COMMIT holds the files. */
    private Optional<Path> fromCache(ModelRef.Hub hub) {
        Path repoDir = cacheDir.resolve("models--" + hub.repo().replace("/", "--"));
        Path snapshot = repoDir.resolve("snapshots").resolve(commitOf(repoDir, hub.revision()));
        if (!Files.isDirectory(snapshot)) {
            return Optional.empty();
        }
        if (hub.file() != null) {
            Path f = snapshot.resolve(hub.file());
            return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
        }
        return chooseGguf(hub, ggufFiles(snapshot));
    }

    private static String commitOf(Path repoDir, String revision) {
        Path ref = repoDir.resolve("refs").resolve(revision);
        try {
            return Files.isRegularFile(ref) ? Files.readString(ref).strip() : revision;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ref + ": " + e.getMessage(), e);
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
                List<Path> matching = ggufFiles(dir).stream()
                        .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).contains(name)).toList();
                Optional<Path> chosen = chooseGguf(hub, matching);
                if (chosen.isPresent()) {
                    return chosen;
                }
            }
        }
        return Optional.empty();
    }

    /** Picks the file for a :QUANT tag (case-insensitive), else Q4_K_M, else the only or first file. */
    static Optional<Path> chooseGguf(ModelRef.Hub hub, List<Path> files) {
        if (files.isEmpty()) {
            return Optional.empty();
        }
        String quant = hub.quant() != null ? hub.quant() : DEFAULT_QUANT;
        List<Path> tagged = files.stream().filter(p -> hasTag(p, quant)).toList();
        if (tagged.size() == 1) {
            return Optional.of(tagged.getFirst());
        }
        if (tagged.size() > 1) {
            throw new InvalidRequestException("quantization tag '" + quant + "' of " + hub + " matches several files: "
                    + names(tagged) + "; name the file: " + hub.repo() + "/FILE");
        }
        if (hub.quant() != null) {
            throw new ModelNotFoundException("no file of " + hub.repo() + " carries the tag '" + hub.quant()
                    + "'; available: " + names(files));
        }
        return Optional.of(files.getFirst());
    }

    private static boolean hasTag(Path p, String quant) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        String tag = quant.toLowerCase(Locale.ROOT);
        int i = name.indexOf(tag);
        while (i >= 0) {
            int end = i + tag.length();
            boolean startOk = i == 0 || !Character.isLetterOrDigit(name.charAt(i - 1));
            boolean endOk = end == name.length() || !Character.isLetterOrDigit(name.charAt(end))
                    && name.charAt(end) != '_';
            if (startOk && endOk) {
                return true;
            }
            i = name.indexOf(tag, i + 1);
        }
        return false;
    }

    private static List<Path> ggufFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gguf"))
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

    private static boolean nonBlank(String s) {
        return s != null && !s.isBlank();
    }
}
