package dev.llmlab.quant;

/** Little-endian stores into byte arrays, and the fp16 conversions of ggml (round to nearest even). */
final class Bytes {
    private Bytes() {
    }

    static void putShort(byte[] dst, int at, int value) {
        dst[at] = (byte) value;
        dst[at + 1] = (byte) (value >>> 8);
    }

    static void putFloat(byte[] dst, int at, float value) {
        int bits = Float.floatToRawIntBits(value);
        dst[at] = (byte) bits;
        dst[at + 1] = (byte) (bits >>> 8);
        dst[at + 2] = (byte) (bits >>> 16);
        dst[at + 3] = (byte) (bits >>> 24);
    }

    /** GGML_FP32_TO_FP16 stored at {@code at}. */
    static void putHalf(byte[] dst, int at, float value) {
        putShort(dst, at, Float.floatToFloat16(value));
    }

    /** GGML_FP16_TO_FP32(GGML_FP32_TO_FP16(value)): the value a decoder will see. */
    static float roundTripHalf(float value) {
        return Float.float16ToFloat(Float.floatToFloat16(value));
    }
}
