package dev.llmlab.tokenizer.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.tokenizer.RegexSplitter;

import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the pipeline components of a tokenizer.json ({@code normalizer}, {@code pre_tokenizer}, {@code decoder})
 * into their records. A component type llmlab does not implement is refused with its name, never ignored.
 */
final class HfComponents {
    private final Path file;

    HfComponents(Path file) {
        this.file = file;
    }

    /** The normalizer, or null when the file has none. */
    HfNormalizer normalizer(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String type = type(node, "normalizer");
        return switch (type) {
            case "Sequence" -> new HfNormalizer.Sequence(each(node, "normalizers", "normalizer").stream()
                    .map(this::normalizer).toList());
            case "Prepend" -> new HfNormalizer.Prepend(text(node, "prepend", "normalizer Prepend"));
            case "Replace" -> new HfNormalizer.Replace(pattern(node.get("pattern"), "normalizer Replace"),
                    text(node, "content", "normalizer Replace"));
            case "NFC" -> new HfNormalizer.Unicode(Normalizer.Form.NFC);
            case "NFKC" -> new HfNormalizer.Unicode(Normalizer.Form.NFKC);
            case "NFD" -> new HfNormalizer.Unicode(Normalizer.Form.NFD);
            case "NFKD" -> new HfNormalizer.Unicode(Normalizer.Form.NFKD);
            case "Lowercase" -> new HfNormalizer.Lowercase();
            case "Strip" -> new HfNormalizer.Strip(node.path("strip_left").asBoolean(true),
                    node.path("strip_right").asBoolean(true));
            default -> throw unsupported("normalizer", type,
                    "Sequence, Prepend, Replace, NFC, NFKC, NFD, NFKD, Lowercase, Strip");
        };
    }

    /** The pre-tokenizer, or null when the file has none. */
    HfPreTokenizer preTokenizer(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String type = type(node, "pre_tokenizer");
        return switch (type) {
            case "Sequence" -> new HfPreTokenizer.Sequence(each(node, "pretokenizers", "pre_tokenizer").stream()
                    .map(this::preTokenizer).toList());
            case "ByteLevel" -> new HfPreTokenizer.ByteLevel(node.path("add_prefix_space").asBoolean(true),
                    node.path("use_regex").asBoolean(true));
            case "Split" -> new HfPreTokenizer.Split(pattern(node.get("pattern"), "pre_tokenizer Split"),
                    behavior(node.path("behavior").asText("Isolated")), node.path("invert").asBoolean(false));
            case "Metaspace" -> new HfPreTokenizer.Metaspace(replacement(node, "pre_tokenizer Metaspace"),
                    prependScheme(node), node.path("split").asBoolean(true));
            case "Digits" -> new HfPreTokenizer.Digits(node.path("individual_digits").asBoolean(false));
            default -> throw unsupported("pre_tokenizer", type, "Sequence, ByteLevel, Split, Metaspace, Digits");
        };
    }

    /** The decoder steps, flattened; empty when the file has no decoder (tokens are then joined as they are). */
    List<HfDecoder.Step> decoder(JsonNode node) {
        List<HfDecoder.Step> steps = new ArrayList<>();
        addDecoder(node, steps);
        return steps;
    }

    private void addDecoder(JsonNode node, List<HfDecoder.Step> steps) {
        if (node == null || node.isNull()) {
            return;
        }
        String type = type(node, "decoder");
        switch (type) {
            case "Sequence" -> each(node, "decoders", "decoder").forEach(d -> addDecoder(d, steps));
            case "ByteLevel" -> steps.add(new HfDecoder.ByteLevel());
            case "Metaspace" -> steps.add(new HfDecoder.Metaspace(replacement(node, "decoder Metaspace"),
                    prependScheme(node) != HfPreTokenizer.Metaspace.PrependScheme.NEVER));
            case "ByteFallback" -> steps.add(new HfDecoder.ByteFallback());
            case "Fuse" -> steps.add(new HfDecoder.Fuse());
            case "Strip" -> steps.add(new HfDecoder.Strip(text(node, "content", "decoder Strip"),
                    node.path("start").asInt(0), node.path("stop").asInt(0)));
            case "Replace" -> steps.add(new HfDecoder.Replace(pattern(node.get("pattern"), "decoder Replace"),
                    text(node, "content", "decoder Replace")));
            default -> throw unsupported("decoder", type, "Sequence, ByteLevel, Metaspace, ByteFallback, Fuse, Strip,"
                    + " Replace");
        }
    }

    private HfPreTokenizer.Behavior behavior(String name) {
        return switch (name) {
            case "Removed" -> HfPreTokenizer.Behavior.REMOVED;
            case "Isolated" -> HfPreTokenizer.Behavior.ISOLATED;
            case "MergedWithPrevious" -> HfPreTokenizer.Behavior.MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> HfPreTokenizer.Behavior.MERGED_WITH_NEXT;
            case "Contiguous" -> HfPreTokenizer.Behavior.CONTIGUOUS;
            default -> throw unsupported("Split behavior", name,
                    "Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous");
        };
    }

    /** {@code prepend_scheme}, or the older {@code add_prefix_space} flag (true meant always). */
    private HfPreTokenizer.Metaspace.PrependScheme prependScheme(JsonNode node) {
        if (node.hasNonNull("prepend_scheme")) {
            String scheme = node.get("prepend_scheme").asText();
            return switch (scheme.toLowerCase(Locale.ROOT)) {
                case "always" -> HfPreTokenizer.Metaspace.PrependScheme.ALWAYS;
                case "first" -> HfPreTokenizer.Metaspace.PrependScheme.FIRST;
                case "never" -> HfPreTokenizer.Metaspace.PrependScheme.NEVER;
                default -> throw unsupported("Metaspace prepend_scheme", scheme, "always, first, never");
            };
        }
        return node.path("add_prefix_space").asBoolean(true) ? HfPreTokenizer.Metaspace.PrependScheme.ALWAYS
                : HfPreTokenizer.Metaspace.PrependScheme.NEVER;
    }

    private char replacement(JsonNode node, String where) {
        String r = text(node, "replacement", where);
        if (r.length() != 1) {
            throw format(where + " replacement '" + r + "' must be one character");
        }
        return r.charAt(0);
    }

    /** A {@code {"String": ...}} (literal) or {@code {"Regex": ...}} pattern. */
    Pattern pattern(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw format(where + " has no pattern object ({\"String\": ...} or {\"Regex\": ...})");
        }
        if (node.hasNonNull("String")) {
            return Pattern.compile(Pattern.quote(node.get("String").asText()));
        }
        if (node.hasNonNull("Regex")) {
            String regex = node.get("Regex").asText();
            try {
                return RegexSplitter.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new UnsupportedModelException(file + ": " + where + " regex /" + regex + "/ does not compile"
                        + " in Java: " + e.getDescription() + "; this tokenizer.json needs a regex feature llmlab"
                        + " lacks");
            }
        }
        throw format(where + " pattern must have a \"String\" or \"Regex\" key, got " + node);
    }

    private String type(JsonNode node, String component) {
        JsonNode t = node.get("type");
        if (t == null || !t.isTextual()) {
            throw format(component + " has no \"type\": " + abbreviate(node));
        }
        return t.asText();
    }

    private List<JsonNode> each(JsonNode node, String key, String component) {
        JsonNode list = node.get(key);
        if (list == null || !list.isArray()) {
            throw format(component + " Sequence has no \"" + key + "\" list");
        }
        List<JsonNode> out = new ArrayList<>();
        list.forEach(out::add);
        return out;
    }

    String text(JsonNode node, String key, String where) {
        JsonNode v = node.get(key);
        if (v == null || !v.isTextual()) {
            throw format(where + " has no text \"" + key + "\"");
        }
        return v.asText();
    }

    UnsupportedModelException unsupported(String component, String type, String supported) {
        return new UnsupportedModelException(file + ": " + component + " type '" + type + "' is not supported;"
                + " llmlab supports " + supported + ". Use a model whose tokenizer.json uses these, or a GGUF file");
    }

    ModelFormatException format(String problem) {
        return new ModelFormatException(file + ": " + problem + "; the tokenizer.json is malformed, download it again");
    }

    private static String abbreviate(JsonNode node) {
        String s = String.valueOf(node);
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
