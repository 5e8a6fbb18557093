package dev.llmlab.kernels;

import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.gguf.GgmlType;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The kernels the engine computes with, one per supported tensor type. Chosen once (at model load), never
 * switched per call. An unsupported type is refused with its name and the supported list.
 */
public final class KernelRegistry {
    private final String name;
    private final String description;
    private final Map<GgmlType, RowKernel> kernels;
    private final VectorOps ops;

    public KernelRegistry(String name, String description, Map<GgmlType, RowKernel> kernels, VectorOps ops) {
        this.name = name;
        this.description = description;
        this.kernels = Collections.unmodifiableMap(new EnumMap<>(kernels));
        this.ops = ops;
    }

    public KernelRegistry(String name, String description, Map<GgmlType, RowKernel> kernels) {
        this(name, description, kernels, VectorOps.SCALAR);
    }

    public KernelRegistry(String name, Map<GgmlType, RowKernel> kernels) {
        this(name, name, kernels);
    }

    /** Scalar reference kernels: slow, the specification. */
    public static KernelRegistry scalar() {
        return scalar("scalar (reference)");
    }

    private static KernelRegistry scalar(String description) {
        Map<GgmlType, RowKernel> m = new EnumMap<>(GgmlType.class);
        for (GgmlType t : ScalarKernels.TYPES) {
            m.put(t, ScalarKernels.of(t));
        }
        return new KernelRegistry("scalar", description, m);
    }

    /**
     * Vector API kernels for the machine's preferred vector size.
     *
     * @throws UnsupportedOperationException saying why, when {@link VectorSupport#current()} is not usable
     */
    public static KernelRegistry vector() {
        VectorSupport support = VectorSupport.current();
        if (!support.usable()) {
            throw new UnsupportedOperationException("vector kernels unavailable: " + support.description());
        }
        return VectorKernels.registry(support.description());
    }

    /** The fastest kernels available on this machine: vector when the Vector API is usable, else scalar. */
    public static KernelRegistry best() {
        VectorSupport support = VectorSupport.current();
        return support.usable() ? vector() : scalar(support.description());
    }

    /** Short name: {@code "vector"} or {@code "scalar"}. */
    public String name() {
        return name;
    }

    /** For humans, e.g. {@code "vector 512-bit (AVX-512)"} or {@code "scalar: <why no vector kernels>"}. */
    public String description() {
        return description;
    }

    /** Arithmetic on activation vectors (attention), of the same implementation as the kernels. */
    public VectorOps ops() {
        return ops;
    }

    /** Every kernel of the set. */
    public java.util.Collection<RowKernel> kernels() {
        return kernels.values();
    }

    public Set<GgmlType> supportedTypes() {
        return kernels.keySet();
    }

    /** The kernel for a type, or an error naming the tensor, its type and the supported types. */
    public RowKernel forType(GgmlType type, String tensorName) {
        RowKernel k = kernels.get(type);
        if (k == null) {
            throw new UnsupportedModelException("tensor '" + tensorName + "' has type " + type
                    + ", which llmlab cannot compute with yet; supported types: " + kernels.keySet()
                    + ". Use a model file quantized to one of those.");
        }
        return k;
    }

    @Override
    public String toString() {
        return description;
    }
}
