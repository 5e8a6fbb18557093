package dev.llmlab.gguf;

import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.ModelNotFoundException;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.io.LoadMode;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Shared by the reader's robustness tests: opening a corrupt file must fail cleanly, quickly and clearly. */
final class GgufFuzzing {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private GgufFuzzing() {
    }

    /** A small but varied valid GGUF: every scalar type, string and nested arrays, four tensors, alignment 64. */
    static GgufWriter sampleWriter() {
        return GgufWriter.builder()
                .putString("general.architecture", "llama")
                .alignment(64)
                .put("u8", new GgufValue(GgufValueType.UINT8, null, 200L))
                .put("i16", new GgufValue(GgufValueType.INT16, null, -300L))
                .putUint32("llama.block_count", 2)
                .putInt32("i32", -7)
                .putUint64("u64", -1L)
                .put("i64", new GgufValue(GgufValueType.INT64, null, Long.MIN_VALUE))
                .putFloat32("f32", 1e-5f)
                .put("f64", new GgufValue(GgufValueType.FLOAT64, null, Math.PI))
                .putBool("flag", true)
                .putStrings("tokenizer.ggml.tokens", List.of("<unk>", "<s>", "\u2581the", "h\u00e9llo", "\uD83D\uDE00"))
                .putFloats("tokenizer.ggml.scores", new float[]{0, 0, -1, -2, -3})
                .putInts("tokenizer.ggml.token_type", GgufValueType.INT32, new long[]{2, 3, 1, 1, 1})
                .put("flags", new GgufValue(GgufValueType.ARRAY, GgufValueType.BOOL, new boolean[]{true, false}))
                .put("nested", new GgufValue(GgufValueType.ARRAY, GgufValueType.ARRAY, List.of(
                        GgufValue.ofStrings(List.of("a", "bc")),
                        new GgufValue(GgufValueType.ARRAY, GgufValueType.FLOAT64, new double[]{1.5}))))
                .tensor("token_embd.weight", GgmlType.F32, new long[]{4, 3}, TensorSource.ofFloats(new float[12]))
                .tensor("blk.0.attn_q.weight", GgmlType.Q8_0, new long[]{32, 2}, TensorSource.ofBytes(new byte[68]))
                .tensor("blk.0.ffn_up.weight", GgmlType.Q4_K, new long[]{256}, TensorSource.ofBytes(new byte[144]))
                .tensor("output_norm.weight", GgmlType.F16, new long[]{4}, TensorSource.ofBytes(new byte[8]))
                .build();
    }

    /** A length, count, type id, dimension or offset in a GGUF header: where it is and how wide. */
    record Field(int offset, int width) {
    }

    /**
     * The numeric fields of a valid GGUF header, found by a deliberately simple walk of the format (independent of
     * {@link GgufReader}), so that the fuzzer can aim extreme values exactly at them.
     */
    static List<Field> numericFields(byte[] gguf) {
        ByteBuffer b = ByteBuffer.wrap(gguf).order(ByteOrder.LITTLE_ENDIAN);
        List<Field> fields = new ArrayList<>();
        b.position(4);
        field(b, fields, 4); // version
        long tensors = field(b, fields, 8);
        long entries = field(b, fields, 8);
        for (long i = 0; i < entries; i++) {
            skipString(b, fields);
            walkValue(b, fields, (int) field(b, fields, 4));
        }
        for (long i = 0; i < tensors; i++) {
            skipString(b, fields);
            long dims = field(b, fields, 4);
            for (long d = 0; d < dims; d++) {
                field(b, fields, 8);
            }
            field(b, fields, 4); // type
            field(b, fields, 8); // offset
        }
        return List.copyOf(fields);
    }

    private static void walkValue(ByteBuffer b, List<Field> fields, int typeId) {
        GgufValueType type = GgufValueType.byId(typeId).orElseThrow();
        switch (type) {
            case STRING -> skipString(b, fields);
            case ARRAY -> {
                int elementType = (int) field(b, fields, 4);
                long n = field(b, fields, 8);
                for (long i = 0; i < n; i++) {
                    walkValue(b, fields, elementType);
                }
            }
            default -> field(b, fields, type.minBytes());
        }
    }

    private static void skipString(ByteBuffer b, List<Field> fields) {
        long length = field(b, fields, 8);
        b.position(b.position() + (int) length);
    }

    private static long field(ByteBuffer b, List<Field> fields, int width) {
        fields.add(new Field(b.position(), width));
        return switch (width) {
            case 1 -> b.get();
            case 2 -> b.getShort();
            case 4 -> Integer.toUnsignedLong(b.getInt());
            default -> b.getLong();
        };
    }

    /**
     * Opens {@code file}; it must either open (and then every tensor's data must be readable) or fail with one of
     * llmlab's model exceptions whose message names the file and, for format errors, an offset. Returns the outcome
     * ("opens" or the exception's simple name) for statistics.
     */
    static String assertOpensOrFailsCleanly(Path file, LoadMode mode) {
        Throwable failure = assertTimeoutPreemptively(TIMEOUT, () -> openAndTouch(file, mode),
                () -> "opening " + file + " took longer than " + TIMEOUT);
        if (failure == null) {
            return "opens";
        }
        if (!(failure instanceof ModelFormatException || failure instanceof UnsupportedModelException
                || failure instanceof ModelNotFoundException)) {
            throw new AssertionError("opening " + file + " threw " + failure + " instead of a model exception",
                    failure);
        }
        assertThat(failure.getMessage()).as("message names the file").contains(file.toString());
        if (failure instanceof ModelFormatException) {
            assertThat(failure.getMessage()).as("message names an offset").containsPattern("offset \\d+");
        }
        return failure.getClass().getSimpleName();
    }

    private static Throwable openAndTouch(Path file, LoadMode mode) {
        try (GgufFile gguf = GgufFile.open(file, mode)) {
            gguf.metadata().entries().values().forEach(GgufValue::toString);
            for (GgufTensorInfo t : gguf.tensors().values()) {
                MemorySegment data = gguf.tensorData(t);
                if (data.byteSize() > 0) {
                    data.get(ValueLayout.JAVA_BYTE, 0);
                    data.get(ValueLayout.JAVA_BYTE, data.byteSize() - 1);
                }
            }
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
