package dev.llmlab.safetensors;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds safetensors files byte by byte for tests: a header JSON (given as text, so tests can break it) and data. */
final class SafetensorsBytes {
    private SafetensorsBytes() {
    }

    static byte[] file(String headerJson, byte[] data) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.writeBytes(header);
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A valid file: a 2x3 F32 matrix "w", a 3-element BF16 vector "b" and a 2-element F16 vector "h". */
    static byte[] sample() {
        byte[] w = floats(1, 2, 3, 4, 5, 6);
        byte[] b = {(byte) 0x80, 0x3f, 0x00, (byte) 0xc0, 0x40, 0x40}; // bf16 1.0, -2.0, 3.0
        byte[] h = {0x00, 0x3c, 0x00, (byte) 0xb8}; // f16 1.0, -0.5
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[24,30]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[30,34]}}";
        return file(header, concat(w, b, h));
    }
}
