package dev.llmlab.system;

/**
 * How the engine will run on this machine.
 *
 * @param threads          threads for matrix work (the default: every processor the JVM may use)
 * @param kernels          {@code KernelRegistry.best().description()}, e.g. {@code vector 512-bit (AVX-512)}
 * @param vectorBits       the Vector API's preferred species width, 0 when the Vector API is not usable
 * @param precision        what the arithmetic runs in
 */
public record EnginePlan(int threads, String kernels, int vectorBits, String precision) {
    /** Weights stay in their file's type; each kernel decodes blocks to float32 and accumulates in float32. */
    public static final String PRECISION = "float32 arithmetic (weights decoded per block from their stored type), "
            + "float32 KV cache and activations";
}
