package dev.llmlab.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The merge rule stated as plainly as possible, as the spec for {@link SpmMerger}: start from code points;
 * while some adjacent pair concatenates to a piece, merge the pair whose piece scores highest (ties: the
 * leftmost); then map symbols to ids, unknown ones to byte tokens. Quadratic; for short test texts only. Covers
 * plain text (no special tokens) with a space prefix.
 */
final class NaiveSpmReference {
    private NaiveSpmReference() {
    }

    static int[] encode(Vocabulary vocab, String text) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String escaped = ("▁" + text).replace(' ', '▁');
        List<String> symbols = new ArrayList<>();
        escaped.codePoints().forEach(cp -> symbols.add(Character.toString(cp)));
        while (true) {
            int best = -1;
            float bestScore = Float.NEGATIVE_INFINITY;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                var id = vocab.id(symbols.get(i) + symbols.get(i + 1));
                if (id.isPresent() && (best < 0 || vocab.score(id.getAsInt()) > bestScore)) {
                    best = i;
                    bestScore = vocab.score(id.getAsInt());
                }
            }
            if (best < 0) {
                break;
            }
            symbols.set(best, symbols.get(best) + symbols.remove(best + 1));
        }
        List<Integer> ids = new ArrayList<>();
        for (String s : symbols) {
            var id = vocab.id(s);
            if (id.isPresent()) {
                ids.add(id.getAsInt());
            } else {
                for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                    ids.add(vocab.id(String.format("<0x%02X>", b & 0xFF)).orElseThrow());
                }
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
