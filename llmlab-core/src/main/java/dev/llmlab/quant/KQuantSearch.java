package dev.llmlab.quant;

/**
 * The scale searches of llama.cpp's k-quants ({@code nearest_int}, {@code make_qx_quants}, {@code make_q3_quants},
 * {@code make_qkx2_quants} in ggml-quants.c), written in the same float operations in the same order so that the
 * chosen scales, and hence the bytes, are identical. Java float arithmetic is IEEE single precision without
 * contraction, as ggml-base is compiled (no fused multiply-add).
 */
final class KQuantSearch {
    /** Groups whose largest magnitude is below this are all-zero (GROUP_MAX_EPS). */
    static final float GROUP_MAX_EPS = 1e-15f;

    private KQuantSearch() {
    }

    /**
     * Round to nearest, ties to even, for |f| <= 4194303: adding 1.5 * 2^23 leaves the integer in the mantissa
     * (ggml's nearest_int; its result for larger values is garbage in C too, and kept equal here).
     */
    static int nearestInt(float f) {
        int bits = Float.floatToRawIntBits(f + 12582912.f);
        return (bits & 0x007fffff) - 0x00400000;
    }

    /** The value of largest magnitude (the first of equals), sign kept, as the symmetric searches start from. */
    private static float signedMax(int n, float[] x, int xOffset) {
        float max = 0;
        float amax = 0;
        for (int i = 0; i < n; ++i) {
            float ax = Math.abs(x[xOffset + i]);
            if (ax > amax) {
                amax = ax;
                max = x[xOffset + i];
            }
        }
        return max;
    }

    /**
     * Symmetric levels {@code -nmax..nmax-1} for {@code n} values, weighted by x^2 (rmse_type 1, no importance
     * matrix): tries 19 scales around nmax/max and keeps the one with the least weighted squared error. Writes
     * {@code L[lOffset + i] = level + nmax} and returns the scale.
     */
    static float makeQxQuants(int n, int nmax, float[] x, int xOffset, byte[] L, int lOffset) {
        float max = signedMax(n, x, xOffset);
        if (Math.abs(max) < GROUP_MAX_EPS) {
            java.util.Arrays.fill(L, lOffset, lOffset + n, (byte) 0);
            return 0.f;
        }
        float iscale = -nmax / max;
        float sumlx = 0;
        float suml2 = 0;
        for (int i = 0; i < n; ++i) {
            float xi = x[xOffset + i];
            int l = clamp(nearestInt(iscale * xi), -nmax, nmax - 1);
            L[lOffset + i] = (byte) (l + nmax);
            float w = xi * xi;
            sumlx += w * xi * l;
            suml2 += w * l * l;
        }
        float scale = suml2 != 0 ? sumlx / suml2 : 0.0f;
        float best = scale * sumlx;
        for (int is = -9; is <= 9; ++is) {
            if (is == 0) {
                continue;
            }
            iscale = -(nmax + 0.1f * is) / max;
            sumlx = 0;
            suml2 = 0;
            for (int i = 0; i < n; ++i) {
                float xi = x[xOffset + i];
                int l = clamp(nearestInt(iscale * xi), -nmax, nmax - 1);
                float w = xi * xi;
                sumlx += w * xi * l;
                suml2 += w * l * l;
            }
            if (suml2 > 0 && sumlx * sumlx > best * suml2) {
                for (int i = 0; i < n; ++i) {
                    int l = nearestInt(iscale * x[xOffset + i]);
                    L[lOffset + i] = (byte) (nmax + clamp(l, -nmax, nmax - 1));
                }
                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }
        return scale;
    }

    /**
     * Q3_K's search: symmetric levels {@code -nmax..nmax-1} from nmax/max, then up to 5 passes that move single
     * values to the level that most improves the x^2-weighted fit. Writes {@code L = level + nmax}; returns the
     * scale.
     */
    static float makeQ3Quants(int n, int nmax, float[] x, int xOffset, byte[] L, int lOffset) {
        float max = signedMax(n, x, xOffset);
        if (Math.abs(max) < GROUP_MAX_EPS) {
            java.util.Arrays.fill(L, lOffset, lOffset + n, (byte) 0);
            return 0.f;
        }
        float iscale = -nmax / max;
        float sumlx = 0;
        float suml2 = 0;
        for (int i = 0; i < n; ++i) {
            float xi = x[xOffset + i];
            int l = clamp(nearestInt(iscale * xi), -nmax, nmax - 1);
            L[lOffset + i] = (byte) l;
            float w = xi * xi;
            sumlx += w * xi * l;
            suml2 += w * l * l;
        }
        for (int itry = 0; itry < 5; ++itry) {
            int changed = 0;
            for (int i = 0; i < n; ++i) {
                float xi = x[xOffset + i];
                int li = L[lOffset + i];
                float w = xi * xi;
                float slx = sumlx - w * xi * li;
                if (slx > 0) {
                    float sl2 = suml2 - w * li * li;
                    int newL = clamp(nearestInt(xi * sl2 / slx), -nmax, nmax - 1);
                    if (newL != li) {
                        slx += w * xi * newL;
                        sl2 += w * newL * newL;
                        if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
                            L[lOffset + i] = (byte) newL;
                            sumlx = slx;
                            suml2 = sl2;
                            ++changed;
                        }
                    }
                }
            }
            if (changed == 0) {
                break;
            }
        }
        for (int i = 0; i < n; ++i) {
            L[lOffset + i] += (byte) nmax;
        }
        return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
    }

    /**
     * Asymmetric levels {@code 0..nmax} with a minimum (the "_K with min" formats): starting from the min/max
     * range, tries {@code nstep + 1} scales {@code (rmin + rdelta*is + nmax) / (max - min)}, fits scale and min by
     * weighted least squares for each, and keeps the fit of least weighted error (absolute when {@code useMad},
     * else squared). Writes levels to {@code L}, the negated minimum to {@code minOut[minIndex]}; returns the
     * scale.
     */
    static float makeQkx2Quants(int n, int nmax, float[] x, int xOffset, float[] weights, byte[] L, int lOffset,
                                float[] minOut, int minIndex, byte[] aux, float rmin, float rdelta, int nstep,
                                boolean useMad) {
        float min = x[xOffset];
        float max = x[xOffset];
        float sumW = weights[0];
        float sumX = sumW * x[xOffset];
        for (int i = 1; i < n; ++i) {
            float xi = x[xOffset + i];
            if (xi < min) {
                min = xi;
            }
            if (xi > max) {
                max = xi;
            }
            float w = weights[i];
            sumW += w;
            sumX += w * xi;
        }
        if (min > 0) {
            min = 0;
        }
        if (max == min) {
            for (int i = 0; i < n; ++i) {
                L[lOffset + i] = 0;
            }
            minOut[minIndex] = -min;
            return 0.f;
        }
        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float bestError = 0;
        for (int i = 0; i < n; ++i) {
            int l = clamp(nearestInt(iscale * (x[xOffset + i] - min)), 0, nmax);
            L[lOffset + i] = (byte) l;
            float diff = scale * l + min - x[xOffset + i];
            diff = useMad ? Math.abs(diff) : diff * diff;
            bestError += weights[i] * diff;
        }
        if (nstep < 1) {
            minOut[minIndex] = -min;
            return scale;
        }
        for (int is = 0; is <= nstep; ++is) {
            iscale = (rmin + rdelta * is + nmax) / (max - min);
            float sumL = 0;
            float sumL2 = 0;
            float sumXl = 0;
            for (int i = 0; i < n; ++i) {
                int l = clamp(nearestInt(iscale * (x[xOffset + i] - min)), 0, nmax);
                aux[i] = (byte) l;
                float w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXl += w * l * x[xOffset + i];
            }
            float det = sumW * sumL2 - sumL * sumL;
            if (det > 0) {
                float thisScale = (sumW * sumXl - sumX * sumL) / det;
                float thisMin = (sumL2 * sumX - sumL * sumXl) / det;
                if (thisMin > 0) {
                    thisMin = 0;
                    thisScale = sumXl / sumL2;
                }
                float error = 0;
                for (int i = 0; i < n; ++i) {
                    float diff = thisScale * aux[i] + thisMin - x[xOffset + i];
                    diff = useMad ? Math.abs(diff) : diff * diff;
                    error += weights[i] * diff;
                }
                if (error < bestError) {
                    System.arraycopy(aux, 0, L, lOffset, n);
                    bestError = error;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        minOut[minIndex] = -min;
        return scale;
    }

    static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
