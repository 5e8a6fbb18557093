package dev.llmlab.tokenizer.hf;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.tokenizer.BpeModel;
import dev.llmlab.tokenizer.IdList;
import dev.llmlab.tokenizer.StreamingDecoder;
import dev.llmlab.tokenizer.Tokenizer;
import dev.llmlab.tokenizer.Utf16;
import dev.llmlab.tokenizer.Utf8StreamingDecoder;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A Hugging Face tokenizer.json pipeline with a BPE model, as the {@code tokenizers} library runs it: added
 * tokens are split out of the raw text, the rest is normalized (and searched for normalized added tokens),
 * pre-tokenized into words, and each word is encoded by {@link BpeModel}; with {@code addBos} the
 * post-processor's template adds its special tokens around the sequence. Decoding drops special tokens and runs
 * the decoder chain token by token ({@link HfDecoder}). Immutable and thread-safe.
 */
public final class HfTokenizer implements Tokenizer {
    /** What the loader read besides the pipeline. */
    record Specials(int bos, int eos, Set<Integer> endOfGeneration, int[] templatePrefix, int[] templateSuffix) {
    }

    private final String[] pieces;
    private final boolean[] special;
    private final AddedTokens rawAdded;
    private final AddedTokens normalizedAdded;
    private final UnaryOperator<String> normalizer;
    private final HfPreTokenizer preTokenizer;
    private final BpeModel model;
    private final HfDecoder decoder;
    private final Specials specials;

    HfTokenizer(String[] pieces, List<AddedTokens.Token> added, HfNormalizer normalizer, HfPreTokenizer preTokenizer,
                BpeModel model, HfDecoder decoder, Specials specials) {
        this.pieces = pieces.clone();
        this.special = new boolean[pieces.length];
        for (AddedTokens.Token t : added) {
            special[t.id()] = t.special();
        }
        this.normalizer = normalizer == null ? UnaryOperator.identity() : normalizer::apply;
        this.rawAdded = new AddedTokens(added.stream().filter(t -> !t.normalized()).toList(), UnaryOperator.identity());
        this.normalizedAdded = new AddedTokens(added.stream().filter(AddedTokens.Token::normalized).toList(),
                this.normalizer);
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.decoder = decoder;
        this.specials = specials;
    }

    @Override
    public int[] encode(String text, boolean addBos, boolean parseSpecial) {
        String input = Utf16.wellFormed(text);
        IdList ids = new IdList(input.length() / 3 + 4);
        if (addBos) {
            addPrefix(ids);
        }
        for (AddedTokens.Segment raw : rawAdded.split(input, parseSpecial)) {
            if (!raw.isText()) {
                ids.add(raw.id());
                continue;
            }
            String normalized = normalizer.apply(input.substring(raw.start(), raw.end()));
            boolean first = raw.start() == 0;
            for (AddedTokens.Segment seg : normalizedAdded.split(normalized, parseSpecial)) {
                if (!seg.isText()) {
                    ids.add(seg.id());
                    continue;
                }
                HfPreTokenizer.Piece piece = new HfPreTokenizer.Piece(normalized.substring(seg.start(), seg.end()),
                        first && seg.start() == 0);
                List<HfPreTokenizer.Piece> words = preTokenizer == null ? List.of(piece)
                        : preTokenizer.apply(List.of(piece));
                for (HfPreTokenizer.Piece w : words) {
                    model.encode(w.text(), ids);
                }
            }
        }
        if (addBos) {
            for (int id : specials.templateSuffix()) {
                ids.add(id);
            }
        }
        return ids.toArray();
    }

    private void addPrefix(IdList ids) {
        if (specials.templatePrefix().length > 0 || specials.templateSuffix().length > 0) {
            for (int id : specials.templatePrefix()) {
                ids.add(id);
            }
        } else if (specials.bos() >= 0) {
            ids.add(specials.bos());
        }
    }

    @Override
    public String decode(int[] ids) {
        return Utf8StreamingDecoder.decodeAll(tokenBytes(), ids);
    }

    @Override
    public StreamingDecoder newStreamingDecoder() {
        return new Utf8StreamingDecoder(tokenBytes());
    }

    /**
     * Token bytes for one sequence. Special tokens are dropped before the decoder chain runs, as Hugging Face
     * does, so the chain's "first token" is the first one that is not special.
     */
    private Utf8StreamingDecoder.TokenBytes tokenBytes() {
        boolean[] started = {false};
        return (id, ignored) -> {
            checkId(id);
            if (special[id]) {
                return new byte[0];
            }
            boolean first = !started[0];
            started[0] = true;
            return decoder.bytes(pieces[id], first);
        };
    }

    @Override
    public String piece(int id) {
        checkId(id);
        return pieces[id];
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }

    @Override
    public OptionalInt bosId() {
        return specials.bos() < 0 ? OptionalInt.empty() : OptionalInt.of(specials.bos());
    }

    @Override
    public OptionalInt eosId() {
        return specials.eos() < 0 ? OptionalInt.empty() : OptionalInt.of(specials.eos());
    }

    /** True when the post-processor adds special tokens (Llama's BOS); GPT-2's adds none. */
    @Override
    public boolean addBosByDefault() {
        return specials.templatePrefix().length > 0;
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return specials.endOfGeneration().contains(id);
    }

    private void checkId(int id) {
        if (id < 0 || id >= pieces.length || pieces[id] == null) {
            throw new InvalidRequestException("token id " + id + " is outside the vocabulary (0.."
                    + (pieces.length - 1) + ")");
        }
    }
}
