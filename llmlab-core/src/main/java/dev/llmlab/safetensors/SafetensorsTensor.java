package dev.llmlab.safetensors;

import java.util.Arrays;

/**
 * One tensor of a safetensors file, as its header describes it.
 *
 * @param name  tensor name
 * @param dtype element type
 * @param shape dimensions as written (row-major, outermost first: {@code [out, in]} for a linear layer)
 * @param begin first byte of the data, relative to the start of the data section
 * @param end   byte after the last, relative to the start of the data section
 */
public record SafetensorsTensor(String name, SafetensorsDtype dtype, long[] shape, long begin, long end) {

    public SafetensorsTensor {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public long sizeBytes() {
        return end - begin;
    }

    /** The shape in GGML order (innermost first): {@code shape[0]} is the row length. */
    public long[] ggmlShape() {
        long[] g = new long[Math.max(1, shape.length)];
        if (shape.length == 0) {
            g[0] = 1;
        }
        for (int i = 0; i < shape.length; i++) {
            g[i] = shape[shape.length - 1 - i];
        }
        return g;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafetensorsTensor t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
    }
}
