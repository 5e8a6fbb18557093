package dev.llmlab.model;

/**
 * How RoPE frequencies are stretched for contexts longer than the model was first trained on. Applied once to
 * the inverse frequencies {@code theta^(-2i/d)}; the per-token work is unchanged.
 */
public sealed interface RopeScaling {

    /** Rescales the inverse frequencies in place. */
    void apply(float[] inverseFrequencies);

    /** No scaling. */
    record None() implements RopeScaling {
        @Override
        public void apply(float[] inverseFrequencies) {
        }
    }

    /** Positions divided by {@code factor} (HF {@code rope_type: linear}, GGUF {@code rope.scaling.type=linear}). */
    record Linear(float factor) implements RopeScaling {
        @Override
        public void apply(float[] inverseFrequencies) {
            for (int i = 0; i < inverseFrequencies.length; i++) {
                inverseFrequencies[i] /= factor;
            }
        }
    }

    /**
     * Llama 3: low frequencies divided by {@code factor}, high ones kept, a smooth blend between (Hugging Face's
     * {@code _compute_llama3_parameters}).
     */
    record Llama3(float factor, float lowFreqFactor, float highFreqFactor, int originalContextLength)
            implements RopeScaling {
        @Override
        public void apply(float[] inverseFrequencies) {
            for (int i = 0; i < inverseFrequencies.length; i++) {
                inverseFrequencies[i] = (float) (inverseFrequencies[i] / divisor(inverseFrequencies[i]));
            }
        }

        /**
         * The divisor of each of the {@code ropeDimensions / 2} frequencies {@code theta^(-2i/d)}: the values of
         * {@code rope_freqs.weight} in GGUF files.
         */
        public float[] frequencyFactors(float theta, int ropeDimensions) {
            float[] factors = new float[ropeDimensions / 2];
            for (int i = 0; i < factors.length; i++) {
                factors[i] = (float) divisor(Math.pow(theta, -2.0 * i / ropeDimensions));
            }
            return factors;
        }

        /** What a frequency is divided by: what llama.cpp's converter stores as {@code rope_freqs.weight}. */
        public double divisor(double inverseFrequency) {
            double lowFreqWavelength = originalContextLength / lowFreqFactor;
            double highFreqWavelength = originalContextLength / highFreqFactor;
            double wavelength = 2 * Math.PI / inverseFrequency;
            if (wavelength < highFreqWavelength) {
                return 1.0;
            }
            if (wavelength > lowFreqWavelength) {
                return factor;
            }
            double smooth = (originalContextLength / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
            return 1.0 / ((1 - smooth) / factor + smooth);
        }
    }

    /** One divisor per frequency, as GGUF files store Llama 3 scaling ({@code rope_freqs.weight}). */
    record FrequencyFactors(float[] factors) implements RopeScaling {
        public FrequencyFactors {
            factors = factors.clone();
        }

        @Override
        public void apply(float[] inverseFrequencies) {
            if (factors.length != inverseFrequencies.length) {
                throw new dev.llmlab.error.ModelFormatException("rope_freqs has " + factors.length
                        + " factors but RoPE rotates " + inverseFrequencies.length + " frequencies");
            }
            for (int i = 0; i < inverseFrequencies.length; i++) {
                inverseFrequencies[i] /= factors[i];
            }
        }
    }
}
