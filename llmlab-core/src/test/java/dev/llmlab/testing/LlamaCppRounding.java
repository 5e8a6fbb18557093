package dev.llmlab.testing;

import dev.llmlab.gguf.GgmlType;
import dev.llmlab.kernels.KernelRegistry;
import dev.llmlab.kernels.RowKernel;
import dev.llmlab.kernels.VectorOps;

import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.Map;

/**
 * Kernels that round activations the way llama.cpp's CPU backend does before it multiplies them with weights,
 * so that a test can tell "llama.cpp rounds differently" from "llmlab computes something else". llmlab keeps
 * activations in float; llama.cpp converts them to the weight type's {@code vec_dot_type} first:
 * <ul>
 *   <li>F16 / BF16 weights: activations to F16 / BF16;</li>
 *   <li>Q4_0, Q5_0, Q8_0, IQ4_NL (Q8_0) and Q4_1, Q5_1 (Q8_1): blocks of 32, {@code d = max|x| / 127}
 *   stored as fp16, {@code q = round(x / d)};</li>
 *   <li>K-quants and IQ4_XS (Q8_K): blocks of 256, {@code q = nearest(-127 / max * x)} where max is the
 *   value of largest magnitude, {@code d = 1 / (-127 / max)} in float;</li>
 *   <li>attention: the KV cache holds fp16, and the query and the softmax weights are converted to fp16 to
 *   be multiplied with it.</li>
 * </ul>
 * The weights are decoded by the wrapped (tested) kernels; only the activations are rounded. Test use only.
 */
public final class LlamaCppRounding {
    private LlamaCppRounding() {
    }

    /** {@code kernels} with llama.cpp's activation rounding in front of every dot product. */
    public static KernelRegistry around(KernelRegistry kernels) {
        Map<GgmlType, RowKernel> rounded = new EnumMap<>(GgmlType.class);
        for (RowKernel k : kernels.kernels()) {
            rounded.put(k.type(), new Rounded(k));
        }
        return new KernelRegistry("llama.cpp-rounding", "llama.cpp activation rounding around " + kernels.name(),
                rounded, new RoundedAttention(kernels.ops()));
    }

    private record Rounded(RowKernel inner) implements RowKernel {
        @Override
        public GgmlType type() {
            return inner.type();
        }

        @Override
        public float dot(MemorySegment data, long byteOffset, float[] x, int xOffset, int count) {
            float[] xr = new float[count];
            System.arraycopy(x, xOffset, xr, 0, count);
            round(inner.type(), xr);
            return inner.dot(data, byteOffset, xr, 0, count);
        }

        @Override
        public void dequantize(MemorySegment data, long byteOffset, float[] out, int outOffset, int count) {
            inner.dequantize(data, byteOffset, out, outOffset, count); // embedding rows: no activation involved
        }
    }

    private record RoundedAttention(VectorOps inner) implements VectorOps {
        @Override
        public float dot(float[] a, int aOffset, float[] b, int bOffset, int n) {
            float[] ar = new float[n];
            float[] br = new float[n];
            for (int i = 0; i < n; i++) {
                ar[i] = half(a[aOffset + i]);
                br[i] = half(b[bOffset + i]);
            }
            return inner.dot(ar, 0, br, 0, n);
        }

        @Override
        public void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int n) {
            float[] xr = new float[n];
            for (int i = 0; i < n; i++) {
                xr[i] = half(x[xOffset + i]);
            }
            inner.axpy(half(alpha), xr, 0, y, yOffset, n);
        }
    }

    static void round(GgmlType weightType, float[] x) {
        switch (weightType) {
            case F32 -> {
            }
            case F16 -> {
                for (int i = 0; i < x.length; i++) {
                    x[i] = half(x[i]);
                }
            }
            case BF16 -> {
                for (int i = 0; i < x.length; i++) {
                    int bits = Float.floatToRawIntBits(x[i]);
                    x[i] = Float.intBitsToFloat(((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) << 16);
                }
            }
            case Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, IQ4_NL -> {
                for (int b = 0; b < x.length; b += 32) {
                    float amax = 0f;
                    for (int j = 0; j < 32; j++) {
                        amax = Math.max(amax, Math.abs(x[b + j]));
                    }
                    float d = amax / 127f;
                    float id = d != 0f ? 1f / d : 0f;
                    float dStored = half(d);
                    for (int j = 0; j < 32; j++) {
                        float v = x[b + j] * id;
                        x[b + j] = dStored * (v < 0 ? -Math.round(-v) : Math.round(v)); // C's roundf
                    }
                }
            }
            case Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_XS -> {
                for (int b = 0; b < x.length; b += 256) {
                    float amax = 0f;
                    float max = 0f;
                    for (int j = 0; j < 256; j++) {
                        if (Math.abs(x[b + j]) > amax) {
                            amax = Math.abs(x[b + j]);
                            max = x[b + j];
                        }
                    }
                    if (amax == 0f) {
                        java.util.Arrays.fill(x, b, b + 256, 0f);
                        continue;
                    }
                    float iscale = -127f / max;
                    float d = 1f / iscale;
                    for (int j = 0; j < 256; j++) {
                        int q = Math.min(127, (int) Math.rint(iscale * x[b + j])); // nearest_int: half to even
                        x[b + j] = d * q;
                    }
                }
            }
            default -> throw new IllegalArgumentException("no llama.cpp activation rounding known for " + weightType);
        }
    }

    private static float half(float f) {
        return Float.float16ToFloat(Float.floatToFloat16(f));
    }
}
