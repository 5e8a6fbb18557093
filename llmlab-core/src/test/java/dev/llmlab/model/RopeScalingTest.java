package dev.llmlab.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Rope scaling against values worked out from Hugging Face's definitions. */
class RopeScalingTest {

    private static float[] inverseFrequencies(int dims, double theta) {
        float[] f = new float[dims / 2];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) Math.pow(theta, -2.0 * i / dims);
        }
        return f;
    }

    @Test
    void llama3KeepsHighFrequenciesDividesLowOnesAndBlendsBetween() {
        // Llama 3.1 8B's parameters: factor 8, low 1, high 4, original context 8192, theta 500000, head dim 128.
        RopeScaling.Llama3 s = new RopeScaling.Llama3(8f, 1f, 4f, 8192);
        float[] base = inverseFrequencies(128, 500_000);
        float[] scaled = base.clone();
        s.apply(scaled);
        // wavelength 2*pi/f below 8192/4 = 2048: unchanged; above 8192: divided by 8.
        assertThat(scaled[0]).isEqualTo(base[0]);
        assertThat(2 * Math.PI / base[20]).isLessThan(2048);
        assertThat(scaled[20]).isEqualTo(base[20]);
        assertThat(2 * Math.PI / base[63]).isGreaterThan(8192);
        assertThat(scaled[63]).isCloseTo(base[63] / 8, within(base[63] * 1e-6f));
        for (int i = 0; i < base.length; i++) {
            double wavelength = 2 * Math.PI / base[i];
            if (wavelength >= 2048 && wavelength <= 8192) {
                double smooth = (8192 / wavelength - 1) / (4 - 1);
                double expected = (1 - smooth) * base[i] / 8 + smooth * base[i];
                assertThat((double) scaled[i]).isCloseTo(expected, within(expected * 1e-6));
            }
        }
    }

    @Test
    void llama3EqualsItsFrequencyFactorsAsGgufStoresThem() {
        RopeScaling.Llama3 s = new RopeScaling.Llama3(32f, 1f, 4f, 64);
        float[] base = inverseFrequencies(64, 10_000);
        float[] factors = new float[base.length];
        for (int i = 0; i < factors.length; i++) {
            factors[i] = (float) s.divisor(base[i]);
        }
        float[] a = base.clone();
        float[] b = base.clone();
        s.apply(a);
        new RopeScaling.FrequencyFactors(factors).apply(b);
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).isCloseTo(a[i], within(a[i] * 1e-6f));
        }
    }

    @Test
    void linearDividesEveryFrequency() {
        float[] f = inverseFrequencies(16, 10_000);
        float[] g = f.clone();
        new RopeScaling.Linear(4f).apply(g);
        for (int i = 0; i < f.length; i++) {
            assertThat(g[i]).isEqualTo(f[i] / 4f);
        }
    }
}
