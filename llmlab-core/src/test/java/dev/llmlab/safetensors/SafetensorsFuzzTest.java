package dev.llmlab.safetensors;

import dev.llmlab.error.LlmlabException;
import dev.llmlab.io.LoadMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the safetensors reader: a valid file gets random byte overwrites (mostly in the header), truncations and
 * extensions. Opening must succeed with every tensor's data inside the file, or fail with an llmlab exception:
 * never another exception, an OutOfMemoryError or a hang.
 */
class SafetensorsFuzzTest {
    private static final byte[] SAMPLE = SafetensorsBytes.sample();
    private static final byte[] INTERESTING = "0123456789-,:[]{}\"eE.FBIU ".getBytes();

    @Property(tries = 1000)
    void malformedFilesFailCleanly(@ForAll @Size(max = 6) List<@IntRange(max = Integer.MAX_VALUE) Integer> edits,
                                   @ForAll @IntRange(min = -40, max = 8) int lengthChange) throws IOException {
        byte[] bytes = SAMPLE.clone();
        for (int e : edits) {
            int at = e % bytes.length;
            int kind = (e >>> 24) % 3;
            bytes[at] = switch (kind) {
                case 0 -> INTERESTING[(e >>> 8) % INTERESTING.length];
                case 1 -> (byte) (bytes[at] ^ (1 << ((e >>> 8) & 7)));
                default -> (byte) (e >>> 8);
            };
        }
        bytes = java.util.Arrays.copyOf(bytes, Math.max(0, bytes.length + lengthChange));
        Path file = Files.createTempFile("fuzz", ".safetensors");
        try {
            Files.write(file, bytes);
            try (SafetensorsFile f = SafetensorsFile.open(file, LoadMode.READ)) {
                for (SafetensorsTensor t : f.tensors().values()) {
                    assertThat(f.data(t).byteSize()).isEqualTo(t.elementCount() * t.dtype().bytes());
                }
            } catch (LlmlabException expected) {
                assertThat(expected.getMessage()).contains(file.toString());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
