package dev.llmlab.kernels;

/**
 * Whether the Vector API kernels can run in this JVM, decided once. This class does not touch
 * {@code jdk.incubator.vector} itself, so it loads (and explains) when the module is absent.
 *
 * @param usable      true when {@link KernelRegistry#vector()} may be used
 * @param bitSize     the preferred vector size in bits, 0 when unknown
 * @param description for humans: {@code "vector 512-bit (AVX-512)"}, or why the vector kernels are not used
 */
public record VectorSupport(boolean usable, int bitSize, String description) {
    private static final String MODULE = "jdk.incubator.vector";

    /** Vector sizes the kernels are written for: a Q8_0/Q4_0 block of 32 values spans whole vectors. */
    private static final int MIN_BITS = 128;
    private static final int MAX_BITS = 512;

    private static final class Holder {
        static final VectorSupport CURRENT = detect();
    }

    /** The support of this JVM, detected on first use. */
    public static VectorSupport current() {
        return Holder.CURRENT;
    }

    private static VectorSupport detect() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return unusable(0, "the " + MODULE + " module is not enabled; start java with --add-modules " + MODULE);
        }
        int bits;
        try {
            bits = PreferredSize.bits();
        } catch (LinkageError | RuntimeException e) {
            return unusable(0, "the Vector API is not usable here: " + e);
        }
        if (bits < MIN_BITS || bits > MAX_BITS) {
            return unusable(bits, "the preferred vector size is " + bits + " bits; the vector kernels need "
                    + MIN_BITS + " to " + MAX_BITS);
        }
        try {
            VectorKernels.preferredBitSize(); // initializes the kernels' species
        } catch (LinkageError | RuntimeException e) {
            Throwable cause = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
            return unusable(bits, "the vector kernels failed to initialize: " + cause);
        }
        return new VectorSupport(true, bits, "vector " + bits + "-bit (" + instructionSet(bits) + ")");
    }

    /** Kept apart so that jdk.incubator.vector is touched only after the module was found. */
    private static final class PreferredSize {
        static int bits() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        }
    }

    private static VectorSupport unusable(int bits, String reason) {
        return new VectorSupport(false, bits, "scalar: " + reason);
    }

    /** The instruction set a vector size implies on common CPUs; a hint for humans, never used to decide. */
    private static String instructionSet(int bits) {
        String arch = System.getProperty("os.arch", "");
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm = arch.equals("aarch64") || arch.equals("arm64");
        if (x86) {
            return switch (bits) {
                case 512 -> "AVX-512";
                case 256 -> "AVX2";
                default -> "SSE";
            };
        }
        if (arm) {
            return bits == 128 ? "NEON" : "SVE";
        }
        return arch;
    }
}
