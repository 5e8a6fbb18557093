package dev.llmlab.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared, read-only test data ({@code ../shared} next to the project root: models, fixtures).
 * Surefire passes the project root as the system property {@code llmlab.projectRoot}. Absent data fails the
 * test with a message saying where it was expected, never skips it.
 */
public final class Fixtures {
    public static final String PROJECT_ROOT_PROPERTY = "llmlab.projectRoot";

    private Fixtures() {
    }

    /** The shared data directory. */
    public static Path shared() {
        String root = System.getProperty(PROJECT_ROOT_PROPERTY);
        if (root == null || root.isBlank()) {
            throw new AssertionError("system property '" + PROJECT_ROOT_PROPERTY + "' is not set; run the tests"
                    + " through Maven (the parent pom sets it to the project root) or pass -D"
                    + PROJECT_ROOT_PROPERTY + "=<project root>; shared data is expected in <project root>/../shared");
        }
        Path shared = Path.of(root).resolve("..").resolve("shared").normalize();
        if (!Files.isDirectory(shared)) {
            throw new AssertionError("shared test data directory not found: expected " + shared
                    + " (<project root>/../shared, project root " + root + ")");
        }
        return shared;
    }

    /** A file below the shared directory, e.g. {@code models/stories260K.gguf}; fails clearly if absent. */
    public static Path sharedFile(String relative) {
        Path file = shared().resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("shared test file not found: expected " + file + " (see ../shared/README.md)");
        }
        return file;
    }
}
