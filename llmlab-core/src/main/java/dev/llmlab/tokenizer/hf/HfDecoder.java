package dev.llmlab.tokenizer.hf;

import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.tokenizer.ByteLevelAlphabet;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tokenizer.json {@code decoder} chain, compiled to what each token contributes to the text: Hugging Face's
 * decoders transform the list of token strings step by step; every supported step acts on one token at a time
 * (or, after {@code Fuse}/{@code ByteLevel} join the tokens, on the start of the sequence), so the chain can be
 * evaluated token by token, which streaming needs. Token bytes are assembled into UTF-8 by the caller, so
 * malformed byte sequences become U+FFFD per maximal invalid subpart (Hugging Face's {@code ByteFallback}
 * writes one per byte: they differ only on invalid UTF-8). Immutable.
 */
final class HfDecoder {
    /** One step of the chain. */
    sealed interface Step {
    }

    record ByteLevel() implements Step {
    }

    /** {@code ▁} to space; the first token loses all its {@code ▁} unless the prepend scheme is {@code never}. */
    record Metaspace(char replacement, boolean prependedFirst) implements Step {
    }

    record ByteFallback() implements Step {
    }

    record Fuse() implements Step {
    }

    record Strip(String content, int start, int stop) implements Step {
    }

    record Replace(Pattern pattern, String content) implements Step {
    }

    private static final Pattern BYTE_TOKEN = Pattern.compile("<0x([0-9A-Fa-f]{2})>");

    private final List<Step> steps;

    /**
     * @throws UnsupportedModelException for a {@code Strip} that cuts the end of the joined sequence (a stream
     *                                   cannot know its end)
     */
    HfDecoder(List<Step> steps) {
        this.steps = List.copyOf(steps);
        boolean joined = false;
        for (Step s : steps) {
            if (s instanceof Fuse || s instanceof ByteLevel) {
                joined = true;
            } else if (s instanceof Strip strip && joined && strip.stop() > 0) {
                throw new UnsupportedModelException("tokenizer.json decoder Strip with stop > 0 after Fuse is not "
                        + "supported (it trims the end of the whole text, which a stream cannot know)");
            }
        }
    }

    /** The bytes token text {@code token} contributes; {@code first} for the first token of a sequence. */
    byte[] bytes(String token, boolean first) {
        Object value = token; // a String, or a byte[] once a step produced raw bytes
        boolean joined = false;
        for (Step step : steps) {
            value = switch (step) {
                case ByteLevel b -> value instanceof String s ? byteLevel(s) : value;
                case ByteFallback b -> value instanceof String s ? byteFallback(s) : value;
                case Fuse f -> value;
                case Metaspace m -> value instanceof String s ? metaspace(s, m, first) : value;
                case Replace r -> value instanceof String s
                        ? r.pattern().matcher(s).replaceAll(Matcher.quoteReplacement(r.content())) : value;
                case Strip s -> joined ? (first ? strip(value, s.content(), s.start(), 0) : value)
                        : strip(value, s.content(), s.start(), s.stop());
            };
            joined |= step instanceof Fuse || step instanceof ByteLevel;
        }
        return value instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) value;
    }

    /** Every character mapped to its byte; a token with a character outside the alphabet stays as its UTF-8. */
    private static Object byteLevel(String s) {
        byte[] out = new byte[s.length()];
        for (int i = 0; i < s.length(); i++) {
            int b = ByteLevelAlphabet.byteOf(s.charAt(i));
            if (b < 0) {
                return s.getBytes(StandardCharsets.UTF_8);
            }
            out[i] = (byte) b;
        }
        return out;
    }

    private static Object byteFallback(String s) {
        Matcher m = BYTE_TOKEN.matcher(s);
        return m.matches() ? new byte[] {(byte) Integer.parseInt(m.group(1), 16)} : s;
    }

    private static String metaspace(String s, Metaspace m, boolean first) {
        if (first && m.prependedFirst()) {
            return s.replace(String.valueOf(m.replacement()), "");
        }
        return s.replace(m.replacement(), ' ');
    }

    /** Removes up to {@code start} leading and {@code stop} trailing copies of {@code content}. */
    private static Object strip(Object value, String content, int start, int stop) {
        if (value instanceof byte[] bytes) {
            byte[] c = content.getBytes(StandardCharsets.UTF_8);
            if (c.length != 1) {
                return bytes;
            }
            int from = 0;
            int to = bytes.length;
            while (from < to && from < start && bytes[from] == c[0]) {
                from++;
            }
            for (int k = 0; k < stop && to > from && bytes[to - 1] == c[0]; k++) {
                to--;
            }
            return java.util.Arrays.copyOfRange(bytes, from, to);
        }
        String s = (String) value;
        int[] cps = s.codePoints().toArray();
        int target = content.codePointAt(0);
        int from = 0;
        int to = cps.length;
        while (from < start && from < to && cps[from] == target) {
            from++;
        }
        for (int k = 0; k < stop && to > from && cps[to - 1] == target; k++) {
            to--;
        }
        return new String(cps, from, to - from);
    }
}
