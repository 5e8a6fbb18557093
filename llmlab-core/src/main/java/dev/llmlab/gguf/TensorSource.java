package dev.llmlab.gguf;

import dev.llmlab.error.InvalidRequestException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Produces the bytes of one tensor for {@link GgufWriter}. The writer hands over the tensor's region of the output
 * file, so a multi-GB model is never held in memory: a quantizer quantizes rows straight into it, a converter copies
 * from a mapped safetensors file into it.
 */
@FunctionalInterface
public interface TensorSource {

    /**
     * Writes the tensor's bytes into {@code target}, which is exactly the tensor's size in bytes and starts zeroed.
     * Called once, on the writing thread; {@code target} may be filled from several threads (it belongs to a shared
     * arena) but only until this method returns.
     */
    void fill(MemorySegment target) throws IOException;

    /** Copies {@code bytes}, which must be exactly the tensor's size. */
    static TensorSource copyOf(MemorySegment bytes) {
        return target -> {
            if (bytes.byteSize() != target.byteSize()) {
                throw new InvalidRequestException("tensor source holds " + bytes.byteSize()
                        + " bytes but the tensor needs " + target.byteSize());
            }
            MemorySegment.copy(bytes, 0, target, 0, target.byteSize());
        };
    }

    /** Copies {@code bytes}, which must be exactly the tensor's size. */
    static TensorSource ofBytes(byte[] bytes) {
        return copyOf(MemorySegment.ofArray(bytes.clone()));
    }

    /** F32 data: the values as little-endian floats. */
    static TensorSource ofFloats(float[] values) {
        float[] copy = values.clone();
        return target -> {
            if (4L * copy.length != target.byteSize()) {
                throw new InvalidRequestException("tensor source holds " + copy.length
                        + " floats but the tensor needs " + target.byteSize() + " bytes");
            }
            MemorySegment.copy(copy, 0, target, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, copy.length);
        };
    }
}
