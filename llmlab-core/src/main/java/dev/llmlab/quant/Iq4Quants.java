package dev.llmlab.quant;

import static dev.llmlab.quant.KQuantSearch.GROUP_MAX_EPS;
import static dev.llmlab.quant.KQuantSearch.clamp;
import static dev.llmlab.quant.KQuantSearch.nearestInt;

/**
 * The non-linear 4-bit formats IQ4_NL and IQ4_XS: each value is an index into 16 fixed levels, scaled per 32-value
 * block. Follows llama.cpp's {@code quantize_row_iq4_nl_impl} as {@code llama-quantize} calls it without an
 * importance matrix (weights x^2, 7 scale tries each way).
 */
final class Iq4Quants {
    /** kvalues_iq4nl: the 16 levels. */
    static final byte[] LEVELS = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};
    private static final int NTRY = 7;

    private Iq4Quants() {
    }

    /** IQ4_NL (18 bytes per 32 values): fp16 d, 16 bytes of indices (low nibbles values 0..15, high 16..31). */
    static void iq4_nl(float[] src, int from, int count, byte[] dst, int at) {
        float[] weight = new float[32];
        float[] scales = new float[1];
        byte[] L = new byte[32];
        for (int b = 0; b < count / 32; b++, from += 32, at += 18) {
            superBlock(32, src, from, dst, at, at + 2, -1, -1, scales, weight, L);
        }
    }

    /**
     * IQ4_XS (136 bytes per 256 values): fp16 d, uint16 of 2-bit scale high parts, 4 bytes of 4-bit scale low
     * parts (6-bit scales, offset 32), 128 bytes of indices (per 32 values as IQ4_NL).
     */
    static void iq4_xs(float[] src, int from, int count, byte[] dst, int at) {
        float[] weight = new float[32];
        float[] scales = new float[8];
        byte[] L = new byte[256];
        for (int b = 0; b < count / 256; b++, from += 256, at += 136) {
            superBlock(256, src, from, dst, at, at + 8, at + 2, at + 4, scales, weight, L);
        }
    }

    private static void superBlock(int superBlockSize, float[] x, int from, byte[] dst, int dh, int q4, int scalesH,
                                   int scalesL, float[] scales, float[] weight, byte[] L) {
        for (int j = 0; j < superBlockSize / 2; j++) {
            dst[q4 + j] = 0;
        }
        Bytes.putHalf(dst, dh, 0.f);
        float maxScale = 0;
        float amaxScale = 0;
        int blocks = superBlockSize / 32;
        for (int ib = 0; ib < blocks; ++ib) {
            int xb = from + 32 * ib;
            int lb = 32 * ib;
            for (int j = 0; j < 32; ++j) {
                weight[j] = x[xb + j] * x[xb + j];
            }
            float amax = 0;
            float max = 0;
            for (int j = 0; j < 32; ++j) {
                float ax = Math.abs(x[xb + j]);
                if (ax > amax) {
                    amax = ax;
                    max = x[xb + j];
                }
            }
            if (amax < GROUP_MAX_EPS) {
                scales[ib] = 0;
                java.util.Arrays.fill(L, lb, lb + 32, (byte) 0);
                continue;
            }
            float d = -max / LEVELS[0];
            float id = 1 / d;
            float sumqx = 0;
            float sumq2 = 0;
            for (int j = 0; j < 32; ++j) {
                int l = bestIndex(id * x[xb + j]);
                L[lb + j] = (byte) l;
                float q = LEVELS[l];
                float w = weight[j];
                sumqx += w * q * x[xb + j];
                sumq2 += w * q * q;
            }
            d = sumq2 > 0 ? sumqx / sumq2 : 0.f;
            float best = d * sumqx;
            for (int itry = -NTRY; itry <= NTRY; ++itry) {
                id = (itry + LEVELS[0]) / max;
                sumqx = 0;
                sumq2 = 0;
                for (int j = 0; j < 32; ++j) {
                    float q = LEVELS[bestIndex(id * x[xb + j])];
                    float w = weight[j];
                    sumqx += w * q * x[xb + j];
                    sumq2 += w * q * q;
                }
                if (sumq2 > 0 && sumqx * sumqx > best * sumq2) {
                    d = sumqx / sumq2;
                    best = d * sumqx;
                }
            }
            scales[ib] = d;
            float absD = Math.abs(d);
            if (absD > amaxScale) {
                amaxScale = absD;
                maxScale = d;
            }
        }
        if (blocks > 1) {
            Bytes.putShort(dst, scalesH, 0);
            float d = -maxScale / 32;
            Bytes.putHalf(dst, dh, d);
            float id = d != 0 ? 1 / d : 0.f;
            int high = 0;
            for (int ib = 0; ib < blocks; ++ib) {
                int l = clamp(nearestInt(id * scales[ib]), -32, 31);
                float dl = d * l;
                float idl = dl != 0 ? 1 / dl : 0.f;
                for (int j = 0; j < 32; ++j) {
                    L[32 * ib + j] = (byte) bestIndex(idl * x[from + 32 * ib + j]);
                }
                l += 32;
                int low = l & 0xF;
                if (ib % 2 == 0) {
                    dst[scalesL + ib / 2] = (byte) low;
                } else {
                    dst[scalesL + ib / 2] |= (byte) (low << 4);
                }
                high |= (l >> 4) << (2 * (ib % 8));
            }
            Bytes.putShort(dst, scalesH, high);
        } else {
            Bytes.putHalf(dst, dh, scales[0]);
            float id = scales[0] != 0 ? 1 / scales[0] : 0;
            for (int j = 0; j < superBlockSize; ++j) {
                L[j] = (byte) bestIndex(id * x[from + j]);
            }
        }
        for (int i = 0; i < superBlockSize / 32; ++i) {
            for (int j = 0; j < 16; ++j) {
                dst[q4 + 16 * i + j] = (byte) (L[32 * i + j] | (L[32 * i + 16 + j] << 4));
            }
        }
    }

    /** The index of the level nearest to {@code x}; ties and the float subtraction as ggml's best_index_int8. */
    static int bestIndex(float x) {
        if (x <= LEVELS[0]) {
            return 0;
        }
        if (x >= LEVELS[15]) {
            return 15;
        }
        int lo = 0;
        int hi = 15;
        while (hi - lo > 1) {
            int mid = (lo + hi) / 2;
            if (x < LEVELS[mid]) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return x - LEVELS[hi - 1] < LEVELS[hi] - x ? hi - 1 : hi;
    }
}
