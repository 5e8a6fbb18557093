package dev.llmlab.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** {@code llmlab --version}: the project version (filtered into a resource at build time) and the JVM. */
final class VersionProvider implements IVersionProvider {
    static final String RESOURCE = "/dev/llmlab/cli/version.properties";

    @Override
    public String[] getVersion() {
        return new String[]{"llmlab " + version(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }

    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown (" + RESOURCE + " is missing from the build)";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
