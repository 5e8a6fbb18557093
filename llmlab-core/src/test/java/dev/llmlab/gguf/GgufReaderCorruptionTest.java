package dev.llmlab.gguf;

import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.ModelNotFoundException;
import dev.llmlab.io.LoadMode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Systematic corruptions of a small GGUF, and regressions for the reader bugs the fuzzer found. */
class GgufReaderCorruptionTest {
    @TempDir
    Path dir;
    private Path file;
    private byte[] sample;
    private long dataEnd;
    private long dataSectionOffset;

    @BeforeEach
    void writeSample() throws IOException {
        file = dir.resolve("corrupt.gguf");
        Path valid = dir.resolve("valid.gguf");
        GgufWriter writer = GgufFuzzing.sampleWriter();
        writer.write(valid);
        sample = Files.readAllBytes(valid);
        GgufWriter.TensorSpec last = writer.tensors().getLast();
        try (GgufFile gguf = GgufFile.open(valid, LoadMode.READ)) {
            dataSectionOffset = gguf.dataSectionOffset();
            dataEnd = gguf.dataSectionOffset() + gguf.tensor(last.name()).orElseThrow().dataOffset() + last.sizeBytes();
        }
    }

    @Test
    void everyTruncationBeforeTheEndOfTheDataFailsCleanly() throws IOException {
        for (int n = 0; n < sample.length; n++) {
            Files.write(file, Arrays.copyOf(sample, n));
            LoadMode mode = n % 2 == 0 ? LoadMode.MMAP : LoadMode.READ;
            String outcome = GgufFuzzing.assertOpensOrFailsCleanly(file, mode);
            assertThat(outcome).as("truncated to %d bytes", n)
                    .isEqualTo(n < dataEnd ? "ModelFormatException" : "opens");
        }
    }

    @Test
    void everyHeaderByteOverwrittenWithAnExtremeValueFailsCleanly() throws IOException {
        for (int p = 0; p < dataSectionOffset; p++) {
            for (int v : new int[]{0xFF, 0x80, 0x09}) {
                byte[] bytes = sample.clone();
                bytes[p] = (byte) v;
                Files.write(file, bytes);
                GgufFuzzing.assertOpensOrFailsCleanly(file, p % 2 == 0 ? LoadMode.READ : LoadMode.MMAP);
            }
        }
    }

    @Test
    void aTensorOffsetThatOverflowsPastTheEndIsRejected() throws IOException {
        // offset + size wraps around to a negative number; it used to pass and fail later with an index exception.
        Files.write(file, oneTensorFile(GgmlType.F32, new long[]{16}, 0x7FFF_FFFF_FFFF_FFE0L, 64));
        assertThatThrownBy(() -> GgufFile.open(file, LoadMode.READ)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("tensor 't'")
                .hasMessageContaining("beyond the end");
    }

    @Test
    void aShapeWhoseByteSizeOverflowsIsRejected() throws IOException {
        // 2^60 I64 elements pass the element-count check but need 2^63 bytes: used to throw ArithmeticException.
        Files.write(file, oneTensorFile(GgmlType.I64, new long[]{1L << 60}, 0, 64));
        assertThatThrownBy(() -> GgufFile.open(file, LoadMode.MMAP)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("offset 24")
                .hasMessageContaining("more bytes than the whole file");
    }

    @Test
    void anAlignmentThatIsNotAnIntegerNamesTheOffset() throws IOException {
        ByteBuffer b = header(0, 1);
        string(b, GgufReader.ALIGNMENT_KEY);
        b.putInt(GgufValueType.FLOAT32.id()).putFloat(32f);
        Files.write(file, Arrays.copyOf(b.array(), b.position()));
        assertThatThrownBy(() -> GgufFile.open(file, LoadMode.READ)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("offset 24")
                .hasMessageContaining("power of two");
    }

    @Test
    void notGgufAtAllSaysSo() throws IOException {
        Files.writeString(file, "{\"model_type\": \"llama\"}");
        assertThatThrownBy(() -> GgufFile.open(file, LoadMode.READ)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not a GGUF file");
        Files.write(file, new byte[0]);
        assertThatThrownBy(() -> GgufFile.open(file, LoadMode.MMAP)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not a GGUF file");
    }

    @Test
    void anOldVersionIsNamed() throws IOException {
        byte[] v1 = sample.clone();
        v1[4] = 1;
        Files.write(file, v1);
        assertThatThrownBy(() -> GgufFile.open(file, LoadMode.READ)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("GGUF version 1 is not supported");
    }

    @Test
    void aMissingFileIsNotFound() {
        Path missing = dir.resolve("nope.gguf");
        assertThatThrownBy(() -> GgufFile.open(missing, LoadMode.MMAP)).isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining(missing.toString());
    }

    /** A v3 file with no metadata and one tensor 't' (its info starts at offset 24), followed by dataBytes zeros. */
    private static byte[] oneTensorFile(GgmlType type, long[] shape, long offset, int dataBytes) {
        ByteBuffer b = header(1, 0);
        string(b, "t");
        b.putInt(shape.length);
        for (long d : shape) {
            b.putLong(d);
        }
        b.putInt(type.id()).putLong(offset);
        int dataStart = (b.position() + 31) / 32 * 32;
        return Arrays.copyOf(b.array(), dataStart + dataBytes);
    }

    private static ByteBuffer header(long tensors, long metadataEntries) {
        return ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(GgufReader.MAGIC).putInt(3).putLong(tensors).putLong(metadataEntries);
    }

    private static void string(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putLong(bytes.length).put(bytes);
    }

    @Test
    void metadataArraysLongerThanTheLimitAreRefusedBeforeAllocating() throws IOException {
        // a UINT8 array whose bytes exist but which would widen to 8 bytes per element in memory
        int length = GgufReader.MAX_ARRAY_LENGTH + 1;
        ByteBuffer b = ByteBuffer.allocate(64 + length).order(ByteOrder.LITTLE_ENDIAN);
        byte[] key = "big.array".getBytes(StandardCharsets.UTF_8);
        b.putInt(GgufReader.MAGIC).putInt(3).putLong(0).putLong(1);
        b.putLong(key.length).put(key).putInt(GgufValueType.ARRAY.id()).putInt(GgufValueType.UINT8.id())
                .putLong(length);
        Files.write(file, Arrays.copyOf(b.array(), b.position() + length));
        assertThatThrownBy(() -> GgufFile.open(file, LoadMode.MMAP)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("big.array").hasMessageContaining("limit");
    }
}
