package dev.llmlab.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.ModelNotFoundException;
import dev.llmlab.io.LoadMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The weights of a Hugging Face checkpoint directory: {@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json}. Every tensor the index names must be in its shard; a tensor may appear
 * in only one shard. Closing releases every shard.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Path directory;
    private final List<SafetensorsFile> files;
    private final Map<String, Located> tensors;

    /** A tensor and the shard that holds it. */
    public record Located(SafetensorsFile file, SafetensorsTensor tensor) {
        public MemorySegment data() {
            return file.data(tensor);
        }
    }

    private SafetensorsCheckpoint(Path directory, List<SafetensorsFile> files, Map<String, Located> tensors) {
        this.directory = directory;
        this.files = List.copyOf(files);
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** Whether the directory has safetensors weights (single file or index). */
    public static boolean isCheckpoint(Path directory) {
        return Files.isRegularFile(directory.resolve(SINGLE_FILE)) || Files.isRegularFile(directory.resolve(INDEX_FILE));
    }

    public static SafetensorsCheckpoint open(Path directory, LoadMode mode) {
        Path index = directory.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return openSharded(directory, index, mode);
        }
        Path single = directory.resolve(SINGLE_FILE);
        if (!Files.isRegularFile(single)) {
            throw new ModelNotFoundException(directory + ": no " + SINGLE_FILE + " or " + INDEX_FILE
                    + "; a Hugging Face checkpoint needs its safetensors weights (only safetensors are supported)");
        }
        SafetensorsFile file = SafetensorsFile.open(single, mode);
        Map<String, Located> tensors = new LinkedHashMap<>();
        file.tensors().values().forEach(t -> tensors.put(t.name(), new Located(file, t)));
        return new SafetensorsCheckpoint(directory, List.of(file), tensors);
    }

    private static SafetensorsCheckpoint openSharded(Path directory, Path index, LoadMode mode) {
        Map<String, String> weightMap = readWeightMap(index);
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        try {
            for (String shard : new java.util.LinkedHashSet<>(weightMap.values())) {
                Path file = directory.resolve(shard).normalize();
                if (!file.startsWith(directory.normalize()) || shard.contains("/") || shard.contains("\\")) {
                    throw new ModelFormatException(index + ": shard name '" + shard + "' must be a file name in "
                            + directory);
                }
                if (!Files.isRegularFile(file)) {
                    throw new ModelNotFoundException(index + " lists shard '" + shard + "' but " + file
                            + " does not exist; download the complete checkpoint");
                }
                shards.put(shard, SafetensorsFile.open(file, mode));
            }
            Map<String, Located> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                SafetensorsFile file = shards.get(e.getValue());
                SafetensorsTensor t = file.tensor(e.getKey()).orElseThrow(() -> new ModelFormatException(
                        index + " puts tensor '" + e.getKey() + "' in " + e.getValue() + ", which does not have it"));
                tensors.put(t.name(), new Located(file, t));
            }
            for (SafetensorsFile file : shards.values()) {
                for (SafetensorsTensor t : file.tensors().values()) {
                    Located owner = tensors.get(t.name());
                    if (owner == null) {
                        throw new ModelFormatException(file.path() + ": tensor '" + t.name() + "' is not in "
                                + index + "; the index and the shards disagree");
                    }
                    if (owner.file() != file) {
                        throw new ModelFormatException(file.path() + ": tensor '" + t.name() + "' is also in "
                                + owner.file().path() + "; each tensor must be in one shard");
                    }
                }
            }
            return new SafetensorsCheckpoint(directory, new ArrayList<>(shards.values()), tensors);
        } catch (RuntimeException e) {
            shards.values().forEach(SafetensorsFile::close);
            throw e;
        }
    }

    private static Map<String, String> readWeightMap(Path index) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(index));
        } catch (JacksonException e) {
            throw new ModelFormatException(index + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + index + ": " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new ModelFormatException(index + ": no 'weight_map' object naming each tensor's shard");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        map.properties().forEach(e -> {
            if (!e.getValue().isTextual()) {
                throw new ModelFormatException(index + ": weight_map entry '" + e.getKey() + "' is not a file name");
            }
            weightMap.put(e.getKey(), e.getValue().asText());
        });
        return weightMap;
    }

    public Path directory() {
        return directory;
    }

    /** Every tensor by name. */
    public Map<String, Located> tensors() {
        return tensors;
    }

    public Optional<Located> tensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    public long sizeBytes() {
        return files.stream().mapToLong(SafetensorsFile::sizeBytes).sum();
    }

    public List<SafetensorsFile> files() {
        return files;
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
