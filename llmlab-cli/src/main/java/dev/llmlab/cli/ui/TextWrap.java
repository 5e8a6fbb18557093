package dev.llmlab.cli.ui;

import java.util.ArrayList;
import java.util.List;

/**
 * Greedy word wrap for panel bodies. Breaking is stable under appending: lines before the last never change
 * when more text arrives, which lets a streaming panel print finished lines once.
 */
public final class TextWrap {
    private TextWrap() {
    }

    /** Lines of at most {@code width} code points; newlines break lines, long words are split. */
    public static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : clean(text).split("\n", -1)) {
            wrapParagraph(paragraph, width, lines);
        }
        return lines;
    }

    /** Tabs become spaces; other control characters (and carriage returns) are dropped. */
    static String clean(String text) {
        StringBuilder s = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == '\t') {
                s.append("    ");
            } else if (cp == '\n' || !Character.isISOControl(cp)) {
                s.appendCodePoint(cp);
            }
        });
        return s.toString();
    }

    private static void wrapParagraph(String paragraph, int width, List<String> lines) {
        StringBuilder line = new StringBuilder();
        int lineLength = 0;
        int i = 0;
        while (i < paragraph.length()) {
            int wordEnd = i;
            while (wordEnd < paragraph.length() && paragraph.charAt(wordEnd) != ' ') {
                wordEnd++;
            }
            // a word with the spaces that follow it
            int spaceEnd = wordEnd;
            while (spaceEnd < paragraph.length() && paragraph.charAt(spaceEnd) == ' ') {
                spaceEnd++;
            }
            String word = paragraph.substring(i, wordEnd);
            int wordLength = length(word);
            if (lineLength > 0 && lineLength + wordLength > width) {
                lines.add(stripTrailing(line));
                line.setLength(0);
                lineLength = 0;
            }
            while (wordLength > width) {
                int cut = word.offsetByCodePoints(0, width - lineLength);
                line.append(word, 0, cut);
                lines.add(line.toString());
                line.setLength(0);
                lineLength = 0;
                word = word.substring(cut);
                wordLength = length(word);
            }
            line.append(word);
            lineLength += wordLength;
            for (int s = wordEnd; s < spaceEnd && lineLength < width; s++) {
                line.append(' ');
                lineLength++;
            }
            i = spaceEnd;
        }
        lines.add(stripTrailing(line));
    }

    private static String stripTrailing(StringBuilder line) {
        return line.toString().stripTrailing();
    }

    /** Display width, counting one column per code point. */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
