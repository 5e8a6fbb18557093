package dev.llmlab.tokenizer.hf;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A tokenizer.json {@code normalizer}: rewrites text before pre-tokenization. Immutable. */
sealed interface HfNormalizer {

    String apply(String text);

    record Sequence(List<HfNormalizer> steps) implements HfNormalizer {
        public Sequence {
            steps = List.copyOf(steps);
        }

        @Override
        public String apply(String text) {
            String s = text;
            for (HfNormalizer step : steps) {
                s = step.apply(s);
            }
            return s;
        }
    }

    /** Puts {@code prefix} before non-empty text (Llama 2's {@code ▁}). */
    record Prepend(String prefix) implements HfNormalizer {
        @Override
        public String apply(String text) {
            return text.isEmpty() ? text : prefix + text;
        }
    }

    /** Replaces every match of {@code pattern} (a literal or a regular expression) by {@code content}. */
    record Replace(Pattern pattern, String content) implements HfNormalizer {
        @Override
        public String apply(String text) {
            return pattern.matcher(text).replaceAll(Matcher.quoteReplacement(content));
        }
    }

    record Unicode(Normalizer.Form form) implements HfNormalizer {
        @Override
        public String apply(String text) {
            return Normalizer.normalize(text, form);
        }
    }

    record Lowercase() implements HfNormalizer {
        @Override
        public String apply(String text) {
            return text.toLowerCase(Locale.ROOT);
        }
    }

    /** Removes white space at the left and/or right end. */
    record Strip(boolean left, boolean right) implements HfNormalizer {
        @Override
        public String apply(String text) {
            String s = left ? text.stripLeading() : text;
            return right ? s.stripTrailing() : s;
        }
    }
}
