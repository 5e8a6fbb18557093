package dev.llmlab.io;

import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.ModelNotFoundException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A whole file as one {@link MemorySegment} (any size, including over 2 GB), mapped or read into memory.
 * Closing releases the memory; segments taken from it must not be used afterwards.
 */
public final class FileData implements AutoCloseable {
    private static final int READ_CHUNK_BYTES = 64 << 20;

    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;
    private final LoadMode mode;

    private FileData(Path path, Arena arena, MemorySegment segment, LoadMode mode) {
        this.path = path;
        this.arena = arena;
        this.segment = segment;
        this.mode = mode;
    }

    public static FileData open(Path path, LoadMode mode) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            MemorySegment segment = switch (mode) {
                case MMAP -> size == 0 ? MemorySegment.NULL.reinterpret(0)
                        : channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
                case READ -> readFully(path, channel, size, arena);
            };
            return new FileData(path, arena, segment, mode);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new ModelNotFoundException("no such file: " + path);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static MemorySegment readFully(Path path, FileChannel channel, long size, Arena arena)
            throws IOException {
        MemorySegment segment = arena.allocate(Math.max(size, 1), 64).asSlice(0, size);
        long position = 0;
        while (position < size) {
            int chunk = (int) Math.min(READ_CHUNK_BYTES, size - position);
            ByteBuffer buffer = segment.asSlice(position, chunk).asByteBuffer();
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw new ModelFormatException(path + ": file shrank while being read (at byte "
                            + (position + buffer.position()) + " of " + size + ")");
                }
            }
            position += chunk;
        }
        return segment;
    }

    /** Size of a file without opening it as data; a clear error when it does not exist. */
    public static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (NoSuchFileException e) {
            throw new ModelNotFoundException("no such file: " + path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    public MemorySegment segment() {
        return segment;
    }

    public LoadMode mode() {
        return mode;
    }

    public long sizeBytes() {
        return segment.byteSize();
    }

    @Override
    public void close() {
        arena.close();
    }
}
