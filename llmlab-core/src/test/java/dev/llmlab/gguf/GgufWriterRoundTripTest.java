package dev.llmlab.gguf;

import dev.llmlab.io.LoadMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Writer -> reader round trips: every metadata type, random small tensors, several alignments, both load modes. */
class GgufWriterRoundTripTest {
    private static Path dir;

    record TensorCase(String name, GgmlType type, long[] shape, byte[] data) {
    }

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("gguf-roundtrip");
    }

    @AfterContainer
    static void deleteDir() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Property(tries = 300)
    void everythingWrittenReadsBackIdentically(@ForAll("metadata") Map<String, GgufValue> metadata,
                                               @ForAll("tensors") List<TensorCase> tensors,
                                               @ForAll("alignments") int alignment,
                                               @ForAll LoadMode mode) throws IOException {
        GgufWriter.Builder builder = GgufWriter.builder().putAll(metadata);
        if (alignment != GgufWriter.DEFAULT_ALIGNMENT) {
            builder.alignment(alignment);
        }
        tensors.forEach(t -> builder.tensor(t.name(), t.type(), t.shape(), TensorSource.ofBytes(t.data())));
        GgufWriter writer = builder.build();
        Path file = Files.createTempFile(dir, "rt", ".gguf");
        writer.write(file);

        assertThat(Files.size(file)).isEqualTo(writer.fileSizeBytes());
        try (GgufFile gguf = GgufFile.open(file, mode)) {
            assertThat(gguf.version()).isEqualTo(3);
            assertThat(gguf.alignment()).isEqualTo(alignment);
            assertThat(gguf.dataSectionOffset()).isEqualTo(writer.dataSectionOffset()).isNotNegative();
            assertThat(gguf.dataSectionOffset() % alignment).isZero();

            Map<String, GgufValue> read = gguf.metadata().entries();
            assertThat(read.keySet()).containsExactlyElementsOf(writer.metadata().keySet());
            writer.metadata().forEach((key, expected) -> assertThat(GgufTestValues.sameValue(read.get(key), expected))
                    .as("metadata '%s': wrote %s, read %s", key, expected, read.get(key)).isTrue());

            assertThat(gguf.tensors().keySet()).containsExactlyElementsOf(tensors.stream().map(TensorCase::name).toList());
            for (TensorCase t : tensors) {
                GgufTensorInfo info = gguf.tensor(t.name()).orElseThrow();
                assertThat(info.type()).isEqualTo(t.type());
                assertThat(info.shape()).containsExactly(t.shape());
                assertThat(info.dataOffset() % alignment).isZero();
                assertThat(gguf.tensorData(info).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(t.data());
            }
        } finally {
            Files.delete(file);
        }
    }

    @Provide
    Arbitrary<Map<String, GgufValue>> metadata() {
        Arbitrary<String> keys = GgufTestValues.text(16).filter(k -> !k.equals(GgufReader.ALIGNMENT_KEY));
        return Arbitraries.maps(keys, GgufTestValues.anyValue()).ofMaxSize(14).map(LinkedHashMap::new);
    }

    @Provide
    Arbitrary<List<TensorCase>> tensors() {
        Arbitrary<GgmlType> types = GgufTestValues.tensorType();
        Arbitrary<TensorCase> one = types.flatMap(type -> Combinators.combine(
                GgufTestValues.shape(type), Arbitraries.longs(), GgufTestValues.text(8))
                .as((shape, seed, name) -> {
                    long elements = 1;
                    for (long d : shape) {
                        elements *= d;
                    }
                    byte[] data = new byte[(int) type.bytesFor(elements)];
                    new Random(seed).nextBytes(data);
                    return new TensorCase(name, type, shape, data);
                }));
        return one.list().ofMaxSize(6).map(GgufWriterRoundTripTest::uniqueNames);
    }

    /** Tensor names must be unique and at most 63 bytes: prefix each with its index. */
    private static List<TensorCase> uniqueNames(List<TensorCase> cases) {
        List<TensorCase> out = new ArrayList<>();
        Iterator<TensorCase> it = cases.iterator();
        for (int i = 0; it.hasNext(); i++) {
            TensorCase t = it.next();
            String name = i + "." + t.name();
            while (GgufEncoder.utf8(name, "name").length > GgufWriter.MAX_TENSOR_NAME_BYTES) {
                name = name.substring(0, name.offsetByCodePoints(0, name.codePointCount(0, name.length()) - 1));
            }
            out.add(new TensorCase(name, t.type(), t.shape(), t.data()));
        }
        return out;
    }

    @Provide
    Arbitrary<Integer> alignments() {
        return Arbitraries.of(1, 8, 32, 64, 256, 4096);
    }
}
