package dev.llmlab.gguf;

import dev.llmlab.io.LoadMode;
import dev.llmlab.testing.Fixtures;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;

/**
 * Fuzzes the GGUF reader: valid files (one written by {@link GgufWriter}, and the real stories260K) get random
 * bit flips, overwrites with extreme values (anywhere, or aimed exactly at a length, count, dimension, type or
 * offset field), truncations, insertions and deletions. Opening must then succeed, with every tensor's data
 * readable, or fail with a model exception naming the file and an offset: never an OutOfMemoryError, an index,
 * arithmetic or argument exception, or a hang.
 */
class GgufReaderFuzzTest {
    /** The stories260K header ends here; mutating its weights would not concern the reader. */
    private static final int STORIES_HEADER_BYTES = 14_176;

    private static Path dir;
    private static Path target;
    private static Subject sample;
    private static Subject stories;

    /** A valid file to mutate, the region worth mutating, and the header's numeric fields. */
    record Subject(byte[] bytes, int focusBytes, List<GgufFuzzing.Field> fields) {
        static Subject of(byte[] bytes, int focusBytes) {
            return new Subject(bytes, focusBytes, GgufFuzzing.numericFields(bytes));
        }
    }

    /** One edit. Positions are seeds reduced modulo the current size (or field count), so every edit applies. */
    sealed interface Mutation {
        byte[] apply(byte[] in, Subject subject);
    }

    record FlipBit(int at, int bit) implements Mutation {
        public byte[] apply(byte[] in, Subject s) {
            byte[] out = in.clone();
            if (out.length > 0) {
                out[at % Math.min(s.focusBytes(), out.length)] ^= (byte) (1 << bit);
            }
            return out;
        }
    }

    record Overwrite(int at, byte[] bytes) implements Mutation {
        public byte[] apply(byte[] in, Subject s) {
            return overwrite(in, length -> at % Math.min(s.focusBytes(), length), bytes);
        }

        @Override
        public String toString() {
            return "Overwrite[at=" + at + ", bytes=" + Arrays.toString(bytes) + "]";
        }
    }

    /** Overwrites one of the original header's numeric fields (whole width) with an extreme value. */
    record OverwriteField(int field, long value) implements Mutation {
        public byte[] apply(byte[] in, Subject s) {
            GgufFuzzing.Field f = s.fields().get(field % s.fields().size());
            byte[] bytes = Arrays.copyOf(littleEndian(value), f.width());
            return overwrite(in, length -> Math.min(f.offset(), length - 1), bytes);
        }
    }

    record Truncate(int at) implements Mutation {
        public byte[] apply(byte[] in, Subject s) {
            return Arrays.copyOf(in, at % (in.length + 1));
        }
    }

    record Insert(int at, byte[] bytes) implements Mutation {
        public byte[] apply(byte[] in, Subject s) {
            int p = at % (Math.min(s.focusBytes(), in.length) + 1);
            byte[] out = new byte[in.length + bytes.length];
            System.arraycopy(in, 0, out, 0, p);
            System.arraycopy(bytes, 0, out, p, bytes.length);
            System.arraycopy(in, p, out, p + bytes.length, in.length - p);
            return out;
        }

        @Override
        public String toString() {
            return "Insert[at=" + at + ", bytes=" + Arrays.toString(bytes) + "]";
        }
    }

    record Delete(int at, int length) implements Mutation {
        public byte[] apply(byte[] in, Subject s) {
            int p = at % (Math.min(s.focusBytes(), in.length) + 1);
            int n = Math.min(length, in.length - p);
            byte[] out = new byte[in.length - n];
            System.arraycopy(in, 0, out, 0, p);
            System.arraycopy(in, p + n, out, p, in.length - p - n);
            return out;
        }
    }

    @BeforeContainer
    static void prepare() throws IOException {
        dir = Files.createTempDirectory("gguf-fuzz");
        target = dir.resolve("fuzzed.gguf");
        Path samplePath = dir.resolve("sample.gguf");
        GgufFuzzing.sampleWriter().write(samplePath);
        byte[] sampleBytes = Files.readAllBytes(samplePath);
        sample = Subject.of(sampleBytes, sampleBytes.length);
        stories = Subject.of(Files.readAllBytes(Fixtures.sharedFile("models/stories260K.gguf")), STORIES_HEADER_BYTES);
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Property(tries = 2500)
    void mutatedSmallFilesOpenOrFailCleanly(@ForAll("mutations") List<Mutation> mutations, @ForAll LoadMode mode)
            throws IOException {
        check(sample, mutations, mode);
    }

    @Property(tries = 500)
    void mutatedStoriesHeadersOpenOrFailCleanly(@ForAll("mutations") List<Mutation> mutations,
                                                @ForAll LoadMode mode) throws IOException {
        check(stories, mutations, mode);
    }

    private static void check(Subject subject, List<Mutation> mutations, LoadMode mode) throws IOException {
        byte[] bytes = subject.bytes();
        for (Mutation m : mutations) {
            bytes = m.apply(bytes, subject);
        }
        Files.write(target, bytes);
        Statistics.label("outcome").collect(GgufFuzzing.assertOpensOrFailsCleanly(target, mode));
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Integer> at = Arbitraries.integers().greaterOrEqual(0);
        Arbitrary<Mutation> flip = Combinators.combine(at, Arbitraries.integers().between(0, 7)).as(FlipBit::new);
        Arbitrary<Mutation> overwrite = Combinators.combine(at, nastyBytes()).as(Overwrite::new);
        Arbitrary<Mutation> field = Combinators.combine(at, extremes()).as(OverwriteField::new);
        Arbitrary<Mutation> truncate = at.map(Truncate::new);
        Arbitrary<Mutation> insert = Combinators.combine(at, nastyBytes()).as(Insert::new);
        Arbitrary<Mutation> delete = Combinators.combine(at, Arbitraries.integers().between(1, 16)).as(Delete::new);
        return Arbitraries.frequencyOf(
                Tuple.of(3, flip),
                Tuple.of(3, overwrite),
                Tuple.of(4, field),
                Tuple.of(1, truncate),
                Tuple.of(2, insert),
                Tuple.of(2, delete)).list().ofMinSize(1).ofMaxSize(5);
    }

    /**
     * Values that break naive parsers: all-ones, sign bits, huge and small lengths and counts, value and tensor type
     * ids (9 = array, 27/28 = 8-byte tensor types), and aligned offsets just below 2^63 that overflow when added to.
     */
    private static Arbitrary<Long> extremes() {
        return Arbitraries.of(-1L, 0L, 1L, 2L, 4L, 5L, 7L, 8L, 9L, 12L, 13L, 27L, 28L, 31L, 63L, 64L, 255L, 0x7FFFL,
                0xFFFFL, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0x1_0000_0000L, 1L << 40, 1L << 60, 1L << 61,
                1L << 62, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 31, Long.MAX_VALUE & -32,
                Long.MAX_VALUE & -64, Long.MAX_VALUE & -4096, -32L);
    }

    private static Arbitrary<byte[]> nastyBytes() {
        Arbitrary<byte[]> encoded = Combinators.combine(extremes(), Arbitraries.of(1, 2, 4, 8))
                .as((v, width) -> Arrays.copyOf(littleEndian(v), width));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(12);
        return Arbitraries.frequencyOf(Tuple.of(2, encoded), Tuple.of(1, random));
    }

    private static byte[] littleEndian(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static byte[] overwrite(byte[] in, IntUnaryOperator position, byte[] bytes) {
        byte[] out = in.clone();
        if (out.length > 0) {
            int p = position.applyAsInt(out.length);
            System.arraycopy(bytes, 0, out, p, Math.min(bytes.length, out.length - p));
        }
        return out;
    }
}
