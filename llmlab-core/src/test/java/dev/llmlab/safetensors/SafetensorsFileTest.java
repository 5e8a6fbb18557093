package dev.llmlab.safetensors;

import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.ModelNotFoundException;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.io.LoadMode;
import dev.llmlab.kernels.ScalarKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.llmlab.safetensors.SafetensorsBytes.file;
import static dev.llmlab.safetensors.SafetensorsBytes.floats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafetensorsFileTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @ParameterizedTest
    @EnumSource(LoadMode.class)
    void readsEveryDtypeAndTheMetadata(LoadMode mode) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(write("s.safetensors", SafetensorsBytes.sample()), mode)) {
            assertThat(f.tensors().keySet()).containsExactly("w", "b", "h");
            assertThat(f.metadata()).containsEntry("format", "pt");
            SafetensorsTensor w = f.tensor("w").orElseThrow();
            assertThat(w.shape()).containsExactly(2, 3);
            assertThat(w.ggmlShape()).containsExactly(3, 2);
            assertThat(decode(f, "w", 6)).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(decode(f, "b", 3)).containsExactly(1, -2, 3);
            assertThat(decode(f, "h", 2)).containsExactly(1, -0.5f);
        }
    }

    private static float[] decode(SafetensorsFile f, String name, int n) {
        SafetensorsTensor t = f.tensor(name).orElseThrow();
        float[] out = new float[n];
        ScalarKernels.decode(t.dtype().ggmlType(), f.data(t), 0, out, 0, n);
        return out;
    }

    @Test
    void refusesOtherDtypesByName() throws IOException {
        Path p = write("i.safetensors", file("{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
                new byte[8]));
        assertThatThrownBy(() -> SafetensorsFile.open(p, LoadMode.READ)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("'ids'").hasMessageContaining("I64").hasMessageContaining("F32, F16, BF16")
                .hasMessageContaining(p.toString());
    }

    @Test
    void refusesDataOutsideTheFile() throws IOException {
        Path p = write("o.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}",
                floats(1, 2)));
        assertThatThrownBy(() -> SafetensorsFile.open(p, LoadMode.READ)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("'w'").hasMessageContaining("outside").hasMessageContaining(p.toString());
    }

    @Test
    void refusesARangeThatDisagreesWithShapeTimesDtype() throws IOException {
        Path p = write("s.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}",
                floats(1, 2)));
        assertThatThrownBy(() -> SafetensorsFile.open(p, LoadMode.READ)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("'w'").hasMessageContaining("8 bytes").hasMessageContaining("expected 12");
    }

    @Test
    void refusesOverlapsHolesAndTrailingBytes() throws IOException {
        Path overlap = write("a.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", floats(1, 2, 3)));
        assertThatThrownBy(() -> SafetensorsFile.open(overlap, LoadMode.READ))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("overlaps");
        Path hole = write("b.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", floats(1, 2, 3)));
        assertThatThrownBy(() -> SafetensorsFile.open(hole, LoadMode.READ))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("belong to no tensor");
        Path trailing = write("c.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                floats(1, 2)));
        assertThatThrownBy(() -> SafetensorsFile.open(trailing, LoadMode.READ))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("holds 8");
    }

    @Test
    void refusesBrokenHeaders() throws IOException {
        Path shortFile = write("t.safetensors", new byte[5]);
        assertThatThrownBy(() -> SafetensorsFile.open(shortFile, LoadMode.READ))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("too short");
        byte[] hugeLength = SafetensorsBytes.sample();
        hugeLength[7] = 0x7f;
        Path huge = write("h.safetensors", hugeLength);
        assertThatThrownBy(() -> SafetensorsFile.open(huge, LoadMode.READ))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("header length");
        Path notJson = write("j.safetensors", file("{\"w\": [", new byte[0]));
        assertThatThrownBy(() -> SafetensorsFile.open(notJson, LoadMode.READ))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("not valid UTF-8 JSON");
        Path duplicate = write("d.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1)));
        assertThatThrownBy(() -> SafetensorsFile.open(duplicate, LoadMode.READ))
                .isInstanceOf(ModelFormatException.class);
    }

    @Test
    void shardedCheckpointsNameMissingShardsAndTensors() throws IOException {
        Path ok = Files.createDirectories(dir.resolve("ok"));
        Files.write(ok.resolve("a.safetensors"), file(
                "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(7)));
        Files.write(ok.resolve("b.safetensors"), file(
                "{\"y\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(8)));
        Files.writeString(ok.resolve(SafetensorsCheckpoint.INDEX_FILE),
                "{\"weight_map\":{\"x\":\"a.safetensors\",\"y\":\"b.safetensors\"}}");
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(ok, LoadMode.READ)) {
            assertThat(c.tensors().keySet()).containsExactlyInAnyOrder("x", "y");
            assertThat(c.tensor("y").orElseThrow().file().path().getFileName().toString()).isEqualTo("b.safetensors");
        }
        Files.writeString(ok.resolve(SafetensorsCheckpoint.INDEX_FILE),
                "{\"weight_map\":{\"x\":\"a.safetensors\",\"y\":\"c.safetensors\"}}");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(ok, LoadMode.READ))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("c.safetensors");
        Files.writeString(ok.resolve(SafetensorsCheckpoint.INDEX_FILE),
                "{\"weight_map\":{\"x\":\"a.safetensors\",\"y\":\"b.safetensors\",\"z\":\"b.safetensors\"}}");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(ok, LoadMode.READ))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("'z'")
                .hasMessageContaining("b.safetensors");
        Files.writeString(ok.resolve(SafetensorsCheckpoint.INDEX_FILE),
                "{\"weight_map\":{\"x\":\"a.safetensors\",\"y\":\"b.safetensors\"}}");
        Files.write(ok.resolve("b.safetensors"), file("{\"y\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", floats(8, 9)));
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(ok, LoadMode.READ))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("'w'")
                .hasMessageContaining("not in");
    }

    @Test
    void aDirectoryWithoutWeightsSaysWhatIsMissing() {
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir, LoadMode.READ))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("model.safetensors");
    }
}
