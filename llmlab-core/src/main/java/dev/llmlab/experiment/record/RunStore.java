package dev.llmlab.experiment.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The directory of run records ({@code ./experiments_out} by default): one pretty-printed JSON file per run,
 * written atomically (temporary file beside it, then a rename), so a crash never leaves half a record.
 */
public final class RunStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path directory;

    public RunStore(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** The mapper records are written with (snake_case fields), for readers that want the raw tree. */
    public static ObjectMapper json() {
        return JSON;
    }

    /** Writes the record as {@code <id>.json} and returns the file. */
    public Path write(RunRecord record) {
        Path target = directory.resolve(record.id() + ".json");
        try {
            AtomicFiles.write(target, JSON.writeValueAsBytes(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize run record " + record.id() + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** Every record in the directory, oldest first; files that are not records are skipped. */
    public List<RunRecord> list() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<RunRecord> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                try {
                    records.add(read(file));
                } catch (InvalidRequestException e) {
                    // not a run record (another tool's JSON): listing is best-effort
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        records.sort(Comparator.comparing(RunRecord::createdAt).thenComparing(RunRecord::id));
        return records;
    }

    /**
     * A record by id (as {@code llmlab runs} shows it), unique id prefix, or path of a record file.
     */
    public RunRecord find(String idOrPath) {
        Path asPath = Path.of(idOrPath);
        if (idOrPath.endsWith(".json") && Files.isRegularFile(asPath)) {
            return read(asPath);
        }
        Path exact = directory.resolve(idOrPath + ".json");
        if (Files.isRegularFile(exact)) {
            return read(exact);
        }
        List<RunRecord> matches = list().stream().filter(r -> r.id().startsWith(idOrPath)).toList();
        if (matches.size() == 1) {
            return matches.getFirst();
        }
        throw new InvalidRequestException(matches.isEmpty()
                ? "no run '" + idOrPath + "' in " + directory.toAbsolutePath() + "; see `llmlab runs` (or pass "
                + "--records DIR where the records are, or a record's .json path)"
                : "'" + idOrPath + "' matches " + matches.size() + " runs; give more of the id");
    }

    /** Reads one record file. */
    public static RunRecord read(Path file) {
        try {
            RunRecord record = JSON.readValue(file.toFile(), RunRecord.class);
            if (record.id() == null || record.experimentName() == null) {
                throw new InvalidRequestException(file + " is not an llmlab run record (no id or experiment)");
            }
            return record;
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidRequestException(file + " is not a readable llmlab run record: " + e.getMessage());
        }
    }
}
