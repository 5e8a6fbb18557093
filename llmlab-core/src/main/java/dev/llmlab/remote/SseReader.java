package dev.llmlab.remote;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads the {@code data} payloads of a server-sent event stream: lines {@code data: ...} (several form one
 * payload, joined by newlines), comments and other fields ignored, a blank line ends an event.
 */
final class SseReader {
    private final BufferedReader in;

    SseReader(BufferedReader in) {
        this.in = in;
    }

    /** The next event's data, or null at the end of the stream. */
    String next() throws IOException {
        StringBuilder data = null;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return data.toString();
                }
                continue;
            }
            if (line.startsWith("data:")) {
                String value = line.substring(5);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        return data == null ? null : data.toString();
    }
}
