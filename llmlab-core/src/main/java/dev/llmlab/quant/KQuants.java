package dev.llmlab.quant;

import static dev.llmlab.quant.KQuantSearch.clamp;
import static dev.llmlab.quant.KQuantSearch.makeQ3Quants;
import static dev.llmlab.quant.KQuantSearch.makeQkx2Quants;
import static dev.llmlab.quant.KQuantSearch.makeQxQuants;
import static dev.llmlab.quant.KQuantSearch.nearestInt;

/**
 * The k-quant super-block formats (256 values in 16 or 8 sub-blocks, sub-block scales quantized against one fp16
 * super-scale), as llama.cpp's reference quantizers without an importance matrix ({@code quantize_row_q2_K_ref} ..
 * {@code quantize_row_q6_K_ref}) compute them. Each method's header gives the block layout.
 */
final class KQuants {
    static final int QK_K = 256;

    private KQuants() {
    }

    /**
     * Q2_K (84 bytes): 16 bytes of 4-bit scale | 4-bit min per 16 values, 64 bytes of 2-bit quants (byte l of each
     * 32-byte half holds values l, l+32, l+64, l+96 of its 128), fp16 d, fp16 dmin. value = d*sc*q - dmin*m.
     */
    static void q2_K(float[] src, int from, int count, byte[] dst, int at) {
        byte[] L = new byte[QK_K];
        byte[] aux = new byte[16];
        float[] weights = new float[16];
        float[] mins = new float[QK_K / 16];
        float[] scales = new float[QK_K / 16];
        for (int b = 0; b < count / QK_K; b++, from += QK_K, at += 84) {
            float maxScale = 0;
            float maxMin = 0;
            for (int j = 0; j < QK_K / 16; ++j) {
                for (int l = 0; l < 16; ++l) {
                    weights[l] = Math.abs(src[from + 16 * j + l]);
                }
                scales[j] = makeQkx2Quants(16, 3, src, from + 16 * j, weights, L, 16 * j, mins, j, aux,
                        -0.5f, 0.1f, 15, true);
                if (scales[j] > maxScale) {
                    maxScale = scales[j];
                }
                if (mins[j] > maxMin) {
                    maxMin = mins[j];
                }
            }
            int sc = at; // scales[16]
            if (maxScale > 0) {
                float iscale = 15.f / maxScale;
                for (int j = 0; j < QK_K / 16; ++j) {
                    dst[sc + j] = (byte) nearestInt(iscale * scales[j]);
                }
                Bytes.putHalf(dst, at + 80, maxScale / 15.f);
            } else {
                for (int j = 0; j < QK_K / 16; ++j) {
                    dst[sc + j] = 0;
                }
                Bytes.putHalf(dst, at + 80, 0.f);
            }
            if (maxMin > 0) {
                float iscale = 15.f / maxMin;
                for (int j = 0; j < QK_K / 16; ++j) {
                    dst[sc + j] |= (byte) (nearestInt(iscale * mins[j]) << 4);
                }
                Bytes.putHalf(dst, at + 82, maxMin / 15.f);
            } else {
                Bytes.putHalf(dst, at + 82, 0.f);
            }
            float dAll = halfAt(dst, at + 80);
            float mAll = halfAt(dst, at + 82);
            for (int j = 0; j < QK_K / 16; ++j) {
                int s = dst[sc + j] & 0xFF;
                float d = dAll * (s & 0xF);
                if (d == 0) {
                    continue;
                }
                float dm = mAll * (s >>> 4);
                for (int ii = 0; ii < 16; ++ii) {
                    L[16 * j + ii] = (byte) clamp(nearestInt((src[from + 16 * j + ii] + dm) / d), 0, 3);
                }
            }
            pack2Bits(L, dst, at + 16);
        }
    }

    /**
     * Q3_K (110 bytes): 32 bytes hmask (bit k of byte m is the high bit of value 32k+m), 64 bytes of low 2 bits
     * (as Q2_K), 12 bytes of 6-bit signed scales (low nibbles in bytes 0..7, high 2 bits in bytes 8..11), fp16 d.
     * value = d*(sc-32)*(q-4).
     */
    static void q3_K(float[] src, int from, int count, byte[] dst, int at) {
        byte[] L = new byte[QK_K];
        float[] scales = new float[QK_K / 16];
        for (int b = 0; b < count / QK_K; b++, from += QK_K, at += 110) {
            float maxScale = 0;
            float amax = 0;
            for (int j = 0; j < QK_K / 16; ++j) {
                scales[j] = makeQ3Quants(16, 4, src, from + 16 * j, L, 16 * j);
                float scale = Math.abs(scales[j]);
                if (scale > amax) {
                    amax = scale;
                    maxScale = scales[j];
                }
            }
            int sc = at + 96;
            for (int j = 0; j < 12; j++) {
                dst[sc + j] = 0;
            }
            if (maxScale != 0) {
                float iscale = -32.f / maxScale;
                for (int j = 0; j < QK_K / 16; ++j) {
                    int l = clamp((byte) nearestInt(iscale * scales[j]), -32, 31) + 32;
                    if (j < 8) {
                        dst[sc + j] = (byte) (l & 0xF);
                    } else {
                        dst[sc + j - 8] |= (byte) ((l & 0xF) << 4);
                    }
                    l >>= 4;
                    dst[sc + j % 4 + 8] |= (byte) (l << (2 * (j / 4)));
                }
                Bytes.putHalf(dst, at + 108, 1 / iscale);
            } else {
                Bytes.putHalf(dst, at + 108, 0.f);
            }
            float dAll = halfAt(dst, at + 108);
            for (int j = 0; j < QK_K / 16; ++j) {
                int low = j < 8 ? dst[sc + j] & 0xF : (dst[sc + j - 8] & 0xFF) >>> 4;
                int s = (low | ((((dst[sc + 8 + j % 4] & 0xFF) >>> (2 * (j / 4))) & 3) << 4)) - 32;
                float d = dAll * s;
                if (d == 0) {
                    continue;
                }
                for (int ii = 0; ii < 16; ++ii) {
                    L[16 * j + ii] = (byte) (clamp(nearestInt(src[from + 16 * j + ii] / d), -4, 3) + 4);
                }
            }
            for (int j = 0; j < 32; j++) {
                dst[at + j] = 0;
            }
            int m = 0;
            int hm = 1;
            for (int j = 0; j < QK_K; ++j) {
                if (L[j] > 3) {
                    dst[at + m] |= (byte) hm;
                    L[j] -= 4;
                }
                if (++m == QK_K / 8) {
                    m = 0;
                    hm <<= 1;
                }
            }
            pack2Bits(L, dst, at + 32);
        }
    }

    /**
     * Q4_K (144 bytes): fp16 d, fp16 dmin, 12 bytes of eight 6-bit scales and mins (see {@link #packScalesMins}),
     * 128 bytes of nibbles (each 32-byte group: low nibbles values 0..31, high nibbles 32..63 of its 64).
     * value = d*sc*q - dmin*m.
     */
    static void q4_K(float[] src, int from, int count, byte[] dst, int at) {
        byte[] L = new byte[QK_K];
        for (int b = 0; b < count / QK_K; b++, from += QK_K, at += 144) {
            scalesAndMins(src, from, L, 15, -1.f, 0.1f, 20, dst, at);
            for (int j = 0; j < QK_K; j += 64) {
                for (int l = 0; l < 32; ++l) {
                    dst[at + 16 + j / 2 + l] = (byte) (L[j + l] | (L[j + l + 32] << 4));
                }
            }
        }
    }

    /**
     * Q5_K (176 bytes): fp16 d, fp16 dmin, 12 bytes of scales and mins (as Q4_K), 32 bytes of fifth bits (byte l,
     * bits 2k and 2k+1 for values 64k+l and 64k+32+l), 128 bytes of low nibbles (as Q4_K).
     */
    static void q5_K(float[] src, int from, int count, byte[] dst, int at) {
        byte[] L = new byte[QK_K];
        for (int b = 0; b < count / QK_K; b++, from += QK_K, at += 176) {
            scalesAndMins(src, from, L, 31, -0.5f, 0.1f, 15, dst, at);
            int qh = at + 16;
            int ql = at + 48;
            for (int j = 0; j < 32; j++) {
                dst[qh + j] = 0;
            }
            int m1 = 1;
            int m2 = 2;
            for (int n = 0; n < QK_K; n += 64) {
                for (int j = 0; j < 32; ++j) {
                    int l1 = L[n + j];
                    if (l1 > 15) {
                        l1 -= 16;
                        dst[qh + j] |= (byte) m1;
                    }
                    int l2 = L[n + j + 32];
                    if (l2 > 15) {
                        l2 -= 16;
                        dst[qh + j] |= (byte) m2;
                    }
                    dst[ql + j] = (byte) (l1 | (l2 << 4));
                }
                m1 <<= 2;
                m2 <<= 2;
                ql += 32;
            }
        }
    }

    /**
     * Q6_K (210 bytes): 128 bytes of low nibbles, 64 bytes of high 2 bits, 16 int8 scales, fp16 d.
     * value = d*sc*(q-32).
     */
    static void q6_K(float[] src, int from, int count, byte[] dst, int at) {
        byte[] L = new byte[QK_K];
        float[] scales = new float[QK_K / 16];
        for (int b = 0; b < count / QK_K; b++, from += QK_K, at += 210) {
            float maxScale = 0;
            float maxAbsScale = 0;
            for (int ib = 0; ib < QK_K / 16; ++ib) {
                float scale = makeQxQuants(16, 32, src, from + 16 * ib, L, 16 * ib);
                scales[ib] = scale;
                float abs = Math.abs(scale);
                if (abs > maxAbsScale) {
                    maxAbsScale = abs;
                    maxScale = scale;
                }
            }
            if (maxAbsScale < KQuantSearch.GROUP_MAX_EPS) {
                java.util.Arrays.fill(dst, at, at + 210, (byte) 0);
                continue;
            }
            float iscale = -128.f / maxScale;
            Bytes.putHalf(dst, at + 208, 1 / iscale);
            for (int ib = 0; ib < QK_K / 16; ++ib) {
                dst[at + 192 + ib] = (byte) Math.min(127, nearestInt(iscale * scales[ib]));
            }
            float dAll = halfAt(dst, at + 208);
            for (int j = 0; j < QK_K / 16; ++j) {
                float d = dAll * dst[at + 192 + j];
                if (d == 0) {
                    continue;
                }
                for (int ii = 0; ii < 16; ++ii) {
                    L[16 * j + ii] = (byte) (clamp(nearestInt(src[from + 16 * j + ii] / d), -32, 31) + 32);
                }
            }
            int ql = at;
            int qh = at + 128;
            for (int j = 0; j < QK_K; j += 128) {
                for (int l = 0; l < 32; ++l) {
                    int q1 = L[j + l] & 0xF;
                    int q2 = L[j + l + 32] & 0xF;
                    int q3 = L[j + l + 64] & 0xF;
                    int q4 = L[j + l + 96] & 0xF;
                    dst[ql + l] = (byte) (q1 | (q3 << 4));
                    dst[ql + l + 32] = (byte) (q2 | (q4 << 4));
                    dst[qh + l] = (byte) ((L[j + l] >> 4) | ((L[j + l + 32] >> 4) << 2)
                            | ((L[j + l + 64] >> 4) << 4) | ((L[j + l + 96] >> 4) << 6));
                }
                ql += 64;
                qh += 32;
            }
        }
    }

    /**
     * Q4_K / Q5_K: fits each 32-value sub-block with {@link KQuantSearch#makeQkx2Quants} (weights av|x| + |x|),
     * stores d, dmin and the 6-bit scales and mins at {@code at}, then requantizes every value against the stored
     * (rounded) scales into {@code L}.
     */
    private static void scalesAndMins(float[] src, int from, byte[] L, int nmax, float rmin, float rdelta, int nstep,
                                      byte[] dst, int at) {
        float[] weights = new float[32];
        byte[] aux = new byte[32];
        float[] mins = new float[QK_K / 32];
        float[] scales = new float[QK_K / 32];
        float maxScale = 0;
        float maxMin = 0;
        for (int j = 0; j < QK_K / 32; ++j) {
            float sumX2 = 0;
            for (int l = 0; l < 32; ++l) {
                sumX2 += src[from + 32 * j + l] * src[from + 32 * j + l];
            }
            float avX = (float) Math.sqrt(sumX2 / 32);
            for (int l = 0; l < 32; ++l) {
                weights[l] = avX + Math.abs(src[from + 32 * j + l]);
            }
            scales[j] = makeQkx2Quants(32, nmax, src, from + 32 * j, weights, L, 32 * j, mins, j, aux,
                    rmin, rdelta, nstep, false);
            if (scales[j] > maxScale) {
                maxScale = scales[j];
            }
            if (mins[j] > maxMin) {
                maxMin = mins[j];
            }
        }
        float invScale = maxScale > 0 ? 63.f / maxScale : 0.f;
        float invMin = maxMin > 0 ? 63.f / maxMin : 0.f;
        int sc = at + 4;
        for (int j = 0; j < QK_K / 32; ++j) {
            int ls = Math.min(63, nearestInt(invScale * scales[j]) & 0xFF);
            int lm = Math.min(63, nearestInt(invMin * mins[j]) & 0xFF);
            packScalesMins(dst, sc, j, ls, lm);
        }
        Bytes.putHalf(dst, at, maxScale / 63.f);
        Bytes.putHalf(dst, at + 2, maxMin / 63.f);
        float dAll = halfAt(dst, at);
        float mAll = halfAt(dst, at + 2);
        for (int j = 0; j < QK_K / 32; ++j) {
            int s = scaleK4(dst, sc, j);
            int m = minK4(dst, sc, j);
            float d = dAll * s;
            if (d == 0) {
                continue;
            }
            float dm = mAll * m;
            for (int ii = 0; ii < 32; ++ii) {
                L[32 * j + ii] = (byte) clamp(nearestInt((src[from + 32 * j + ii] + dm) / d), 0, nmax);
            }
        }
    }

    /**
     * The 12-byte scale field of Q4_K/Q5_K: sub-blocks 0..3 keep scale and min in the low 6 bits of bytes j and
     * j+4; sub-blocks 4..7 keep their low nibbles in byte j+4 and their top 2 bits in the top bits of bytes j-4
     * (scale) and j (min). Written in sub-block order, so the or-ed bits land on bytes already set.
     */
    private static void packScalesMins(byte[] dst, int sc, int j, int ls, int lm) {
        if (j < 4) {
            dst[sc + j] = (byte) ls;
            dst[sc + j + 4] = (byte) lm;
        } else {
            dst[sc + j + 4] = (byte) ((ls & 0xF) | ((lm & 0xF) << 4));
            dst[sc + j - 4] |= (byte) ((ls >> 4) << 6);
            dst[sc + j] |= (byte) ((lm >> 4) << 6);
        }
    }

    /** get_scale_min_k4's scale. */
    private static int scaleK4(byte[] q, int sc, int j) {
        return j < 4 ? q[sc + j] & 63 : (q[sc + j + 4] & 0xF) | (((q[sc + j - 4] & 0xFF) >> 6) << 4);
    }

    /** get_scale_min_k4's min. */
    private static int minK4(byte[] q, int sc, int j) {
        return j < 4 ? q[sc + j + 4] & 63 : ((q[sc + j + 4] & 0xFF) >> 4) | (((q[sc + j] & 0xFF) >> 6) << 4);
    }

    /** 2-bit levels: byte l of each 32-byte group holds values l, l+32, l+64, l+96 of its 128. */
    private static void pack2Bits(byte[] L, byte[] dst, int qs) {
        for (int j = 0; j < QK_K; j += 128) {
            for (int l = 0; l < 32; ++l) {
                dst[qs + j / 4 + l] = (byte) (L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4)
                        | (L[j + l + 96] << 6));
            }
        }
    }

    private static float halfAt(byte[] b, int at) {
        return Float.float16ToFloat((short) ((b[at] & 0xFF) | (b[at + 1] << 8)));
    }
}
