package dev.llmlab.hub;

import dev.llmlab.error.InvalidRequestException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a user names when they name a model: a local file or directory, or a Hugging Face Hub repository with
 * an optional revision, file path and quantization tag. Canonical text form (round-trips through
 * {@link #parse}): {@code org/repo[/path/in/repo][@revision][:QUANT]}, or a local path.
 */
public sealed interface ModelRef {

    /** A file or directory on this machine. */
    record Local(Path path) implements ModelRef {
        @Override
        public String toString() {
            return path.toString();
        }
    }

    /**
     * A hub repository.
     *
     * @param repo     {@code org/name} (or a legacy single name such as {@code gpt2})
     * @param revision branch, tag or commit; {@code main} by default
     * @param file     a file path inside the repository, or null to choose one
     * @param quant    a quantization tag such as {@code Q4_K_M} to choose the GGUF file, or null
     */
    record Hub(String repo, String revision, String file, String quant) implements ModelRef {
        public static final String DEFAULT_REVISION = "main";

        public Hub {
            if (repo == null || repo.isBlank() || repo.split("/", -1).length > 2 || repo.startsWith("/")
                    || repo.endsWith("/")) {
                throw new InvalidRequestException("bad repository name '" + repo + "': expected org/name");
            }
            revision = revision == null || revision.isBlank() ? DEFAULT_REVISION : revision;
            if (file != null && quant != null) {
                throw new InvalidRequestException("give either a file path or a :QUANT tag, not both: "
                        + repo + "/" + file + ":" + quant);
            }
        }

        /** The repository's last path segment, e.g. {@code tiny-llamas}. */
        public String name() {
            return repo.substring(repo.lastIndexOf('/') + 1);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(repo);
            if (file != null) {
                s.append('/').append(file);
            }
            if (!revision.equals(DEFAULT_REVISION)) {
                s.append('@').append(revision);
            }
            if (quant != null) {
                s.append(':').append(quant);
            }
            return s.toString();
        }
    }

    /**
     * Parses a reference. Anything that exists on disk, starts like a path ({@code /}, {@code ./}, {@code ../},
     * {@code ~/}) or is a bare file name with an extension ({@code model.gguf}) is local; the rest is a hub ref.
     */
    static ModelRef parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidRequestException("empty model reference: give a file path or a hub id like org/repo");
        }
        String t = text.strip();
        if (t.startsWith("~/")) {
            return new Local(Path.of(System.getProperty("user.home"), t.substring(2)));
        }
        if (t.startsWith("/") || t.startsWith("./") || t.startsWith("../") || t.equals(".")
                || Files.exists(Path.of(t)) || (!t.contains("/") && looksLikeFileName(t))) {
            return new Local(Path.of(t));
        }
        String quant = null;
        int colon = t.lastIndexOf(':');
        if (colon > t.lastIndexOf('/')) {
            quant = t.substring(colon + 1);
            t = t.substring(0, colon);
            if (quant.isEmpty()) {
                throw new InvalidRequestException("empty quantization tag in '" + text + "': e.g. org/repo:Q4_K_M");
            }
        }
        String revision = null;
        int at = t.lastIndexOf('@');
        if (at >= 0) {
            revision = t.substring(at + 1);
            t = t.substring(0, at);
            if (revision.isEmpty() || revision.contains("/")) {
                throw new InvalidRequestException("bad revision in '" + text + "': expected org/repo[/file]@revision");
            }
        }
        String[] parts = t.split("/", 3);
        for (String p : parts) {
            if (p.isEmpty()) {
                throw new InvalidRequestException("bad model reference '" + text + "': empty path segment");
            }
        }
        String repo = parts.length == 1 ? parts[0] : parts[0] + "/" + parts[1];
        String file = parts.length == 3 ? parts[2] : null;
        return new Hub(repo, revision, file, quant);
    }

    private static boolean looksLikeFileName(String t) {
        String lower = t.toLowerCase(Locale.ROOT);
        return lower.endsWith(".gguf") || lower.endsWith(".safetensors") || lower.endsWith(".bin");
    }
}
