package dev.llmlab.model;

import dev.llmlab.gguf.GgmlType;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A tensor as a source file stores it, whatever the format.
 *
 * @param name  its name in the file
 * @param type  element type
 * @param shape dimensions in GGML order: {@code shape[0]} is the length of a stored row
 * @param data  its bytes (a view of the file)
 */
public record StoredTensor(String name, GgmlType type, long[] shape, MemorySegment data) {

    public StoredTensor {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return i < shape.length ? shape[i] : 1;
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public String shapeText() {
        return Arrays.toString(shape);
    }
}
