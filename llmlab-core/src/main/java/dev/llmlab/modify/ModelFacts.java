package dev.llmlab.modify;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgufMetadata;
import dev.llmlab.gguf.GgufModel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What modifiers read from a model's metadata: the architecture, the block count, typed values. */
final class ModelFacts {
    static final Pattern LAYER = Pattern.compile("^blk\\.(\\d+)\\.(.*)$");

    private ModelFacts() {
    }

    static GgufMetadata metadata(GgufModel model) {
        return new GgufMetadata(model.source(), model.metadata());
    }

    static String architecture(GgufModel model) {
        return metadata(model).optString("general.architecture").orElseThrow(() -> new InvalidRequestException(
                model.source() + ": metadata 'general.architecture' is missing; modifiers need to know the architecture"));
    }

    /** {@code <arch>.block_count}. */
    static int blockCount(GgufModel model) {
        return metadata(model).count(blockCountKey(model));
    }

    static String blockCountKey(GgufModel model) {
        return architecture(model) + ".block_count";
    }

    /** New garbage-collected native memory holding {@code values} as little-endian F32. */
    static MemorySegment floatSegment(float[] values) {
        MemorySegment m = Arena.ofAuto().allocate(Math.max(4L, 4L * values.length), 64).asSlice(0, 4L * values.length);
        MemorySegment.copy(values, 0, m, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, values.length);
        return m;
    }

    /** The layer of a {@code blk.N.*} tensor, or -1. */
    static int layerOf(String tensorName) {
        Matcher m = LAYER.matcher(tensorName);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }
}
