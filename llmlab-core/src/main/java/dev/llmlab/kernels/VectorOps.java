package dev.llmlab.kernels;

/**
 * Float-vector arithmetic on activations (attention scores and weighted sums), chosen once with the kernels.
 * {@link #SCALAR} is the reference; {@link #vector()} the Vector API version, tested against it.
 */
public interface VectorOps {

    /** {@code sum(a[aOffset + i] * b[bOffset + i])} for {@code i < n}. */
    float dot(float[] a, int aOffset, float[] b, int bOffset, int n);

    /** {@code y[yOffset + i] += alpha * x[xOffset + i]} for {@code i < n}. */
    void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int n);

    VectorOps SCALAR = new VectorOps() {
        @Override
        public float dot(float[] a, int aOffset, float[] b, int bOffset, int n) {
            float sum = 0f;
            for (int i = 0; i < n; i++) {
                sum += a[aOffset + i] * b[bOffset + i];
            }
            return sum;
        }

        @Override
        public void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int n) {
            for (int i = 0; i < n; i++) {
                y[yOffset + i] += alpha * x[xOffset + i];
            }
        }
    };

    /** The Vector API implementation; only call when {@link VectorSupport#current()} is usable. */
    static VectorOps vector() {
        return new FloatVectorOps();
    }
}
