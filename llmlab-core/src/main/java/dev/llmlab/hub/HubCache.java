package dev.llmlab.hub;

import dev.llmlab.error.InvalidRequestException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Hugging Face cache layout, exactly as {@code huggingface_hub} writes and reads it:
 * <pre>
 * ROOT/models--org--repo/blobs/ETAG              file contents, named by git sha1 or LFS sha256
 * ROOT/models--org--repo/snapshots/COMMIT/PATH   relative symlink to ../../blobs/ETAG
 * ROOT/models--org--repo/refs/REVISION           the commit hash a branch or tag pointed to (no newline)
 * ROOT/.locks/models--org--repo/ETAG.lock        held while a blob is written
 * </pre>
 * A blob appears only complete (written as {@code ETAG.incomplete}, then renamed), so any reader, ours or
 * Python's, sees either nothing or the whole file.
 */
public final class HubCache {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final Path root;

    public HubCache(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** {@code models--org--repo}: the folder name huggingface_hub uses for a model repository. */
    public static String folderName(String repo) {
        return "models--" + repo.replace("/", "--");
    }

    public Path repoDir(String repo) {
        return root.resolve(folderName(repo));
    }

    public Path blob(String repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(checkedName(etag));
    }

    public Path incomplete(String repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(checkedName(etag) + ".incomplete");
    }

    public Path lockFile(String repo, String etag) {
        return root.resolve(".locks").resolve(folderName(repo)).resolve(checkedName(etag) + ".lock");
    }

    public Path snapshotDir(String repo, String commit) {
        return repoDir(repo).resolve("snapshots").resolve(checkedName(commit));
    }

    /** Where {@code path} of {@code commit} appears; refuses paths that would leave the snapshot. */
    public Path pointer(String repo, String commit, String path) {
        Path dir = snapshotDir(repo, commit);
        Path p = dir.resolve(path).normalize();
        if (!p.startsWith(dir) || p.equals(dir)) {
            throw new InvalidRequestException("file path '" + path + "' leaves the repository's snapshot");
        }
        return p;
    }

    /** True for a full 40-hex commit hash (used as-is, no ref file needed). */
    public static boolean isCommit(String revision) {
        return COMMIT.matcher(revision).matches();
    }

    /** The commit a revision points to in the cache: itself if it is a commit, else {@code refs/REVISION}. */
    public Optional<String> commitOf(String repo, String revision) {
        if (isCommit(revision)) {
            return Optional.of(revision);
        }
        Path ref = repoDir(repo).resolve("refs").resolve(revision);
        if (!ref.normalize().startsWith(repoDir(repo).resolve("refs")) || !Files.isRegularFile(ref)) {
            return Optional.empty();
        }
        try {
            String commit = Files.readString(ref).strip();
            return commit.isEmpty() ? Optional.empty() : Optional.of(commit);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ref + ": " + e.getMessage(), e);
        }
    }

    /** The snapshot directory of a revision, if the cache has one. */
    public Optional<Path> snapshot(String repo, String revision) {
        return commitOf(repo, revision).map(c -> snapshotDir(repo, c)).filter(Files::isDirectory);
    }

    /** Records that {@code revision} (a branch or tag) points to {@code commit}; atomic. */
    public void writeRef(String repo, String revision, String commit) throws IOException {
        if (revision.equals(commit)) {
            return;
        }
        Path ref = repoDir(repo).resolve("refs").resolve(revision).normalize();
        if (!ref.startsWith(repoDir(repo).resolve("refs"))) {
            throw new InvalidRequestException("bad revision name '" + revision + "'");
        }
        Files.createDirectories(ref.getParent());
        Path tmp = Files.createTempFile(ref.getParent(), ".ref-", ".tmp");
        Files.writeString(tmp, commit);
        move(tmp, ref);
    }

    /** Makes {@code snapshots/COMMIT/PATH} a relative symlink to {@code blobs/ETAG}; atomic, idempotent. */
    public Path link(String repo, String commit, String path, String etag) throws IOException {
        Path pointer = pointer(repo, commit, path);
        Path blob = blob(repo, etag);
        Files.createDirectories(pointer.getParent());
        Path target = pointer.getParent().relativize(blob);
        if (Files.isSymbolicLink(pointer) && Files.readSymbolicLink(pointer).equals(target)) {
            return pointer;
        }
        Path tmp = pointer.resolveSibling("." + pointer.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().threadId() + ".lnk");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, target);
        move(tmp, pointer);
        return pointer;
    }

    /** Renames {@code from} over {@code to} atomically (the same directory tree, so the same file system). */
    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** One cached repository, for {@code cache list}. */
    public record Entry(String repo, Path dir, long sizeBytes, int files, Instant lastUsed, List<String> revisions) {
    }

    /** Every model repository in the cache, largest first. */
    public List<Entry> entries() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String name = dir.getFileName().toString();
                if (name.startsWith("models--")) {
                    entries.add(entry(name.substring("models--".length()).replace("--", "/"), dir));
                }
            }
        }
        entries.sort(Comparator.comparingLong(Entry::sizeBytes).reversed().thenComparing(Entry::repo));
        return entries;
    }

    private static Entry entry(String repo, Path dir) throws IOException {
        long size = 0;
        int files = 0;
        Instant lastUsed = Instant.EPOCH;
        Path blobs = dir.resolve("blobs");
        if (Files.isDirectory(blobs)) {
            try (Stream<Path> s = Files.list(blobs)) {
                for (Path blob : s.filter(p -> !p.getFileName().toString().endsWith(".incomplete")).toList()) {
                    BasicFileAttributes a = Files.readAttributes(blob, BasicFileAttributes.class);
                    size += a.size();
                    files++;
                    Instant used = a.lastAccessTime().toInstant().isAfter(a.lastModifiedTime().toInstant())
                            ? a.lastAccessTime().toInstant() : a.lastModifiedTime().toInstant();
                    lastUsed = used.isAfter(lastUsed) ? used : lastUsed;
                }
            }
        }
        List<String> revisions = new ArrayList<>();
        Path refs = dir.resolve("refs");
        if (Files.isDirectory(refs)) {
            try (Stream<Path> s = Files.walk(refs)) {
                s.filter(Files::isRegularFile).forEach(r -> revisions.add(refs.relativize(r).toString()));
            }
        }
        revisions.sort(null);
        return new Entry(repo, dir, size, files, lastUsed, List.copyOf(revisions));
    }

    /**
     * Removes a repository from the cache, or only one revision of it (its snapshot and ref, and the blobs no
     * other snapshot uses). Returns the bytes freed; 0 when nothing was cached.
     */
    public long remove(String repo, String revision) throws IOException {
        Path dir = repoDir(repo);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long before = entry(repo, dir).sizeBytes();
        if (revision == null) {
            deleteTree(dir);
            deleteTree(root.resolve(".locks").resolve(folderName(repo)));
            return before;
        }
        Optional<String> commit = commitOf(repo, revision);
        if (commit.isEmpty()) {
            return 0;
        }
        deleteTree(snapshotDir(repo, commit.get()));
        Path refs = dir.resolve("refs");
        if (Files.isDirectory(refs)) {
            try (Stream<Path> s = Files.walk(refs)) {
                for (Path r : s.filter(Files::isRegularFile).toList()) {
                    if (Files.readString(r).strip().equals(commit.get())) {
                        Files.delete(r);
                    }
                }
            }
        }
        deleteUnreferencedBlobs(dir);
        return before - entry(repo, dir).sizeBytes();
    }

    private static void deleteUnreferencedBlobs(Path dir) throws IOException {
        Set<Path> used = new HashSet<>();
        Path snapshots = dir.resolve("snapshots");
        if (Files.isDirectory(snapshots)) {
            try (Stream<Path> s = Files.walk(snapshots)) {
                for (Path p : s.filter(Files::isSymbolicLink).toList()) {
                    used.add(p.getParent().resolve(Files.readSymbolicLink(p)).normalize());
                }
            }
        }
        Path blobs = dir.resolve("blobs");
        if (Files.isDirectory(blobs)) {
            try (Stream<Path> s = Files.list(blobs)) {
                for (Path b : s.toList()) {
                    if (!used.contains(b.normalize())) {
                        Files.delete(b);
                    }
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String checkedName(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".")
                || name.equals("..")) {
            throw new InvalidRequestException("bad cache entry name '" + name + "'");
        }
        return name;
    }
}
