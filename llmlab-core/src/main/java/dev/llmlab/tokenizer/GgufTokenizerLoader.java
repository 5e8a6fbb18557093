package dev.llmlab.tokenizer;

import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.gguf.GgufMetadata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Builds the tokenizer described by a GGUF file's {@code tokenizer.ggml.*} metadata, with llama.cpp's defaults
 * and corrections. Supports the SentencePiece-style {@code llama} model; other models are reported as
 * unsupported.
 */
public final class GgufTokenizerLoader {
    static final String MODEL = "tokenizer.ggml.model";
    static final String TOKENS = "tokenizer.ggml.tokens";
    static final String SCORES = "tokenizer.ggml.scores";
    static final String TOKEN_TYPE = "tokenizer.ggml.token_type";

    private GgufTokenizerLoader() {
    }

    /**
     * @throws UnsupportedModelException if the tokenizer model is not {@code llama}
     * @throws ModelFormatException      if the metadata is missing, mistyped or inconsistent
     */
    public static Tokenizer load(GgufMetadata md) {
        String model = md.string(MODEL);
        if (!model.equals("llama")) {
            throw new UnsupportedModelException(md.source() + ": tokenizer model '" + model + "' (" + MODEL
                    + ") is not supported; llmlab reads SentencePiece-style 'llama' vocabularies from GGUF."
                    + (model.equals("gpt2") ? " Byte-level BPE ('gpt2') comes with Hugging Face tokenizer support;"
                    + " until then use a model with a 'llama' vocabulary." : " Use a model with a 'llama' vocabulary."));
        }
        return loadSentencePiece(md);
    }

    static SentencePieceTokenizer loadSentencePiece(GgufMetadata md) {
        List<String> pieces = pieces(md);
        int n = pieces.size();
        float[] scores = scores(md, n);
        TokenType[] types = types(md, n);

        int bos = specialId(md, "tokenizer.ggml.bos_token_id", n, 1);
        int eos = specialId(md, "tokenizer.ggml.eos_token_id", n, 2);
        int unk = specialId(md, "tokenizer.ggml.unknown_token_id", n, 0);
        int pad = specialId(md, "tokenizer.ggml.padding_token_id", n, SpecialTokens.NONE);
        int eot = specialId(md, "tokenizer.ggml.eot_token_id", n, SpecialTokens.NONE);
        int eom = specialId(md, "tokenizer.ggml.eom_token_id", n, SpecialTokens.NONE);
        int fimPre = specialId(md, "tokenizer.ggml.fim_pre_token_id", n,
                specialId(md, "tokenizer.ggml.prefix_token_id", n, SpecialTokens.NONE));
        int fimSuf = specialId(md, "tokenizer.ggml.fim_suf_token_id", n,
                specialId(md, "tokenizer.ggml.suffix_token_id", n, SpecialTokens.NONE));
        int fimMid = specialId(md, "tokenizer.ggml.fim_mid_token_id", n,
                specialId(md, "tokenizer.ggml.middle_token_id", n, SpecialTokens.NONE));
        int fimPad = specialId(md, "tokenizer.ggml.fim_pad_token_id", n, SpecialTokens.NONE);
        int fimRep = specialId(md, "tokenizer.ggml.fim_rep_token_id", n, SpecialTokens.NONE);
        int fimSep = specialId(md, "tokenizer.ggml.fim_sep_token_id", n, SpecialTokens.NONE);

        eot = LlamaCppTokenRules.detect(eot, LlamaCppTokenRules.EOT_TEXTS, pieces, types);
        eom = LlamaCppTokenRules.detect(eom, LlamaCppTokenRules.EOM_TEXTS, pieces, types);
        LlamaCppTokenRules.detect(fimPre, LlamaCppTokenRules.FIM_PRE_TEXTS, pieces, types);
        LlamaCppTokenRules.detect(fimSuf, LlamaCppTokenRules.FIM_SUF_TEXTS, pieces, types);
        LlamaCppTokenRules.detect(fimMid, LlamaCppTokenRules.FIM_MID_TEXTS, pieces, types);
        fimPad = LlamaCppTokenRules.detect(fimPad, LlamaCppTokenRules.FIM_PAD_TEXTS, pieces, types);
        fimRep = LlamaCppTokenRules.detect(fimRep, LlamaCppTokenRules.FIM_REP_TEXTS, pieces, types);
        fimSep = LlamaCppTokenRules.detect(fimSep, LlamaCppTokenRules.FIM_SEP_TEXTS, pieces, types);
        Set<Integer> eog = LlamaCppTokenRules.endOfGeneration(pieces, types, eos, eot, eom, fimPad, fimRep, fimSep);
        Set<Integer> rstrip = LlamaCppTokenRules.rstripTokens(md.optString("general.name").orElse(""), pieces, types);

        boolean addBos = md.bool("tokenizer.ggml.add_bos_token", true);
        boolean addEos = md.bool("tokenizer.ggml.add_eos_token", false);
        boolean addSpacePrefix = md.bool("tokenizer.ggml.add_space_prefix", true);
        if (addBos && bos == SpecialTokens.NONE) {
            throw new ModelFormatException(md.source() + ": tokenizer.ggml.add_bos_token is true but there is no"
                    + " valid tokenizer.ggml.bos_token_id; the tokenizer metadata is inconsistent, re-convert the model");
        }
        if (addEos && eos == SpecialTokens.NONE) {
            throw new ModelFormatException(md.source() + ": tokenizer.ggml.add_eos_token is true but there is no"
                    + " valid tokenizer.ggml.eos_token_id; the tokenizer metadata is inconsistent, re-convert the model");
        }
        try {
            Vocabulary vocab = new Vocabulary(pieces, scores, types);
            return new SentencePieceTokenizer(vocab, new SpecialTokens(bos, eos, unk, eot, eom, pad, eog),
                    new SpmOptions(addBos, addEos, addSpacePrefix, Set.of(), rstrip));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(md.source() + ": invalid tokenizer vocabulary: " + e.getMessage()
                    + "; the file is corrupt or was written by a faulty converter, re-convert the model", e);
        }
    }

    private static List<String> pieces(GgufMetadata md) {
        List<String> raw = md.stringArray(TOKENS);
        if (raw.isEmpty()) {
            throw new ModelFormatException(md.source() + ": " + TOKENS + " is empty; the file has no vocabulary");
        }
        List<String> pieces = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            String p = raw.get(i);
            pieces.add(p.isEmpty() ? "[EMPTY_" + i + "]" : p); // llama.cpp's name for empty entries
        }
        return pieces;
    }

    private static float[] scores(GgufMetadata md, int n) {
        float[] scores = md.get(SCORES).map(v -> switch (v.value()) {
            case long[] ints -> { // llama.cpp also accepts INT32 scores
                float[] f = new float[ints.length];
                for (int i = 0; i < ints.length; i++) {
                    f[i] = ints[i];
                }
                yield f;
            }
            default -> md.optFloatArray(SCORES).orElseThrow();
        }).orElse(new float[n]);
        checkLength(md, SCORES, scores.length, n);
        return scores;
    }

    private static TokenType[] types(GgufMetadata md, int n) {
        TokenType[] types = new TokenType[n];
        int[] ids = md.optIntArray(TOKEN_TYPE).orElse(null);
        if (ids == null) {
            Arrays.fill(types, TokenType.NORMAL);
            return types;
        }
        checkLength(md, TOKEN_TYPE, ids.length, n);
        for (int i = 0; i < n; i++) {
            types[i] = TokenType.fromGgufId(ids[i]);
        }
        return types;
    }

    private static void checkLength(GgufMetadata md, String key, int length, int tokens) {
        if (length != tokens) {
            throw new ModelFormatException(md.source() + ": " + key + " has " + length + " entries but " + TOKENS
                    + " has " + tokens + "; the arrays must match one to one, re-convert the model");
        }
    }

    /** A special token id from the metadata; absent or out-of-range values keep the default, as in llama.cpp. */
    private static int specialId(GgufMetadata md, String key, int vocabSize, int defaultId) {
        int fallback = defaultId >= vocabSize ? SpecialTokens.NONE : defaultId;
        OptionalLong v = md.optInteger(key);
        if (v.isEmpty() || v.getAsLong() < 0 || v.getAsLong() >= vocabSize) {
            return fallback;
        }
        return (int) v.getAsLong();
    }
}
