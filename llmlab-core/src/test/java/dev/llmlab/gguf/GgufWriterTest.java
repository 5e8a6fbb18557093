package dev.llmlab.gguf;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.io.LoadMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GgufWriterTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {32, 64})
    void alignsHeaderAndEveryTensorAndPadsTheEnd(int alignment) throws IOException {
        GgufWriter.Builder b = GgufWriter.builder().putString("general.architecture", "llama");
        if (alignment != 32) {
            b.alignment(alignment);
        }
        // 3 floats = 12 bytes, so the next tensor needs padding.
        GgufWriter writer = b.tensor("a", GgmlType.F32, new long[]{3}, TensorSource.ofFloats(new float[]{1, 2, 3}))
                .tensor("b", GgmlType.F32, new long[]{2, 1}, TensorSource.ofFloats(new float[]{4, 5}))
                .build();
        Path file = dir.resolve("aligned.gguf");
        writer.write(file);

        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length % alignment).isZero();
        assertThat(bytes.length).isEqualTo(writer.fileSizeBytes());
        try (GgufFile gguf = GgufFile.open(file, LoadMode.READ)) {
            assertThat(gguf.alignment()).isEqualTo(alignment);
            assertThat(gguf.dataSectionOffset() % alignment).isZero();
            assertThat(gguf.tensor("a").orElseThrow().dataOffset()).isZero();
            assertThat(gguf.tensor("b").orElseThrow().dataOffset()).isEqualTo(alignment);
            assertThat(gguf.tensorData("b").toArray(ValueLayout.JAVA_FLOAT_UNALIGNED)).containsExactly(4f, 5f);
        }
        // The padding between header and data, and after each tensor, is zeros.
        long dataStart = writer.dataSectionOffset();
        for (long i = dataStart + 12; i < dataStart + alignment; i++) {
            assertThat(bytes[(int) i]).isZero();
        }
    }

    @Test
    void headerStartsWithMagicVersionAndCounts() throws IOException {
        Path file = dir.resolve("h.gguf");
        GgufWriter.builder().putUint32("k", 7).tensor("t", GgmlType.I8, new long[]{4}, TensorSource.ofBytes(new byte[4]))
                .build().write(file);
        ByteBuffer h = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(h.getInt()).isEqualTo(0x46554747); // "GGUF"
        assertThat(h.getInt()).isEqualTo(3);
        assertThat(h.getLong()).isEqualTo(1); // tensors
        assertThat(h.getLong()).isEqualTo(1); // metadata entries
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("model.gguf");
        Files.writeString(file, "old contents");
        GgufWriter.builder().putString("general.name", "new").build().write(file);
        try (GgufFile gguf = GgufFile.open(file, LoadMode.MMAP)) {
            assertThat(gguf.metadata().string("general.name")).isEqualTo("new");
        }
        assertThat(filesIn(dir)).containsExactly(file);
    }

    @Test
    void theFinishedFileHasTheDefaultPermissionsNotThoseOfATemporaryFile() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path reference = Files.createFile(dir.resolve("reference"));
        Path file = dir.resolve("model.gguf");
        GgufWriter.builder().build().write(file);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(reference));
    }

    @Test
    void aFailingSourceLeavesTheTargetUntouchedAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.gguf");
        Files.writeString(file, "previous model");
        GgufWriter writer = GgufWriter.builder()
                .tensor("ok", GgmlType.F32, new long[]{1}, TensorSource.ofFloats(new float[]{1}))
                .tensor("bad", GgmlType.F32, new long[]{8}, target -> {
                    throw new IOException("disk on fire");
                })
                .build();
        assertThatThrownBy(() -> writer.write(file))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("disk on fire");
        assertThat(Files.readString(file)).isEqualTo("previous model");
        assertThat(filesIn(dir)).containsExactly(file);
    }

    @Test
    void aSourceOfTheWrongSizeFailsClearly() throws IOException {
        Path file = dir.resolve("wrong.gguf");
        GgufWriter writer = GgufWriter.builder()
                .tensor("t", GgmlType.F32, new long[]{4}, TensorSource.ofFloats(new float[3])).build();
        assertThatThrownBy(() -> writer.write(file)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("3 floats").hasMessageContaining("16 bytes");
        assertThat(filesIn(dir)).isEmpty();
    }

    @Test
    void createsMissingDirectoriesAndReportsProgress() {
        Path file = dir.resolve("a/b/m.gguf");
        List<String> seen = new ArrayList<>();
        GgufWriter writer = GgufWriter.builder()
                .tensor("x", GgmlType.F32, new long[]{8}, TensorSource.ofFloats(new float[8]))
                .tensor("y", GgmlType.F16, new long[]{8}, TensorSource.ofBytes(new byte[16]))
                .build();
        writer.write(file, (t, written, total) -> seen.add(t.name() + " " + written + "/" + total));
        assertThat(file).exists();
        assertThat(seen).containsExactly("x 32/64", "y 64/64");
    }

    @Test
    void rejectsWhatReadersCannotLoad() {
        TensorSource none = TensorSource.ofBytes(new byte[0]);
        assertThatThrownBy(() -> GgufWriter.builder().tensor("q", GgmlType.Q4_0, new long[]{48, 2}, none))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("block size 32");
        assertThatThrownBy(() -> GgufWriter.builder().tensor("x".repeat(64), GgmlType.F32, new long[]{1}, none))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most 63");
        assertThatThrownBy(() -> GgufWriter.builder().tensor("t", GgmlType.F32, new long[]{1, 1, 1, 1, 1}, none))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("1 to 4");
        assertThatThrownBy(() -> GgufWriter.builder().tensor("t", GgmlType.F32, new long[]{1}, none)
                .tensor("t", GgmlType.F32, new long[]{1}, none))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> GgufWriter.builder().alignment(48).build())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("power of two");
        assertThatThrownBy(() -> GgufWriter.builder().putInt32(GgufReader.ALIGNMENT_KEY, 64).build())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("UINT32");
    }

    @Test
    void rejectsValuesThatWouldNotReadBack() {
        GgufWriter.Builder b = GgufWriter.builder();
        assertThatThrownBy(() -> b.put("u8", new GgufValue(GgufValueType.UINT8, null, 256L)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'u8'").hasMessageContaining("UINT8");
        assertThatThrownBy(() -> b.put("u32", GgufValue.ofUint32(-1)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("UINT32");
        assertThatThrownBy(() -> b.put("f", new GgufValue(GgufValueType.FLOAT32, null, 1.0)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Float");
        assertThatThrownBy(() -> b.putString("s", "broken \uD800 surrogate"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> b.put("a", new GgufValue(GgufValueType.ARRAY, GgufValueType.INT32, new float[1])))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("long[]");
        GgufValue deep = GgufValue.ofStrings(List.of("x"));
        for (int i = 0; i <= GgufReader.MAX_ARRAY_NESTING; i++) {
            deep = new GgufValue(GgufValueType.ARRAY, GgufValueType.ARRAY, List.of(deep));
        }
        GgufValue tooDeep = deep;
        assertThatThrownBy(() -> b.put("deep", tooDeep))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("nested deeper");
    }

    @Test
    void keepsMetadataInInsertionOrderAndReplacesInPlace() throws IOException {
        Path file = dir.resolve("order.gguf");
        GgufWriter.builder().putString("z", "1").putString("a", "2").putString("m", "3").putString("z", "4")
                .remove("a").build().write(file);
        try (GgufFile gguf = GgufFile.open(file, LoadMode.READ)) {
            assertThat(gguf.metadata().entries().keySet()).containsExactly("z", "m");
            assertThat(gguf.metadata().string("z")).isEqualTo("4");
        }
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
