package dev.llmlab.system;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The real machine: files read as they are, commands run with a timeout so a hung tool cannot hang us. */
public final class LocalSystemSource implements SystemSource {
    private final Duration commandTimeout;

    public LocalSystemSource(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    @Override
    public Optional<String> readFile(String path) {
        try {
            return Optional.of(Files.readString(Path.of(path), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // absent on this OS or not readable: the fact is unknown, not an error
        }
    }

    @Override
    public Optional<String> runCommand(List<String> command) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return Optional.empty(); // not installed
        }
        try (InputStream in = process.getInputStream()) {
            String text = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
            if (!process.waitFor(commandTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 ? Optional.of(text) : Optional.empty();
        } catch (IOException e) {
            process.destroyForcibly();
            return Optional.empty();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public JvmFacts jvm() {
        return JvmFacts.current();
    }
}
