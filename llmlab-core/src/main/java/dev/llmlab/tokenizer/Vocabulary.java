package dev.llmlab.tokenizer;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The token table of a tokenizer: for each id its piece (as stored, e.g. {@code ▁the}, {@code <0x0A>}), its
 * score (higher merges first) and its {@link TokenType}. Immutable; lookups by piece are exact and
 * allocation-free.
 */
public final class Vocabulary {
    private final String[] pieces;
    private final float[] scores;
    private final TokenType[] types;
    private final PieceIndex index;

    /**
     * @throws IllegalArgumentException if the arrays differ in length, a piece is null or empty, or a piece
     *                                  occurs twice (the message names the piece and both ids)
     */
    public Vocabulary(List<String> pieces, float[] scores, TokenType[] types) {
        Objects.requireNonNull(pieces, "pieces");
        if (scores.length != pieces.size() || types.length != pieces.size()) {
            throw new IllegalArgumentException("vocabulary arrays differ in length: " + pieces.size() + " pieces, "
                    + scores.length + " scores, " + types.length + " token types");
        }
        this.pieces = pieces.toArray(String[]::new);
        for (int i = 0; i < this.pieces.length; i++) {
            if (this.pieces[i] == null || this.pieces[i].isEmpty()) {
                throw new IllegalArgumentException("token " + i + " has an empty piece");
            }
            Objects.requireNonNull(types[i], "type of token " + i);
        }
        this.scores = scores.clone();
        this.types = types.clone();
        this.index = new PieceIndex(this.pieces);
    }

    public int size() {
        return pieces.length;
    }

    public String piece(int id) {
        return pieces[id];
    }

    public float score(int id) {
        return scores[id];
    }

    public TokenType type(int id) {
        return types[id];
    }

    /** The id whose piece is exactly {@code piece}. */
    public OptionalInt id(String piece) {
        int id = index.find(piece);
        return id < 0 ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The allocation-free index behind {@link #id}, for the merge loop. */
    PieceIndex index() {
        return index;
    }

    public boolean contains(int id) {
        return id >= 0 && id < pieces.length;
    }

    @Override
    public String toString() {
        return "Vocabulary[" + pieces.length + " tokens, types " + Arrays.stream(TokenType.values())
                .map(t -> t + "=" + Arrays.stream(types).filter(x -> x == t).count())
                .filter(s -> !s.endsWith("=0")).toList() + "]";
    }
}
