package dev.llmlab.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/** Small files written whole or not at all: a temporary file beside the target, then an atomic rename. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * An empty file next to the target, so the final rename stays on one file system and can be atomic. Unlike
     * Files.createTempFile it gets the default permissions (the umask), which the finished file keeps.
     */
    public static Path createSiblingTempFile(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = target.resolveSibling("." + target.getFileName() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + ".partial");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** Writes {@code bytes} to {@code target}, creating its directory; a reader never sees a partial file. */
    public static void write(Path target, byte[] bytes) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = createSiblingTempFile(target.toAbsolutePath());
            Files.write(temp, bytes);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage()
                    + "; check that the directory is writable", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the rename happened, or the write failed and that error is the one reported
                }
            }
        }
    }
}
