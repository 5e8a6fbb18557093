package dev.llmlab.tokenizer;

import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.gguf.GgufMetadata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Builds the tokenizer described by a GGUF file's {@code tokenizer.ggml.*} metadata, with llama.cpp's defaults
 * and corrections. Supports the SentencePiece-style {@code llama} model and the byte-level BPE {@code gpt2} model
 * (with the pre-tokenizer named by {@code tokenizer.ggml.pre}); other models are reported as unsupported.
 */
public final class GgufTokenizerLoader {
    static final String MODEL = "tokenizer.ggml.model";
    static final String TOKENS = "tokenizer.ggml.tokens";
    static final String SCORES = "tokenizer.ggml.scores";
    static final String TOKEN_TYPE = "tokenizer.ggml.token_type";
    static final String MERGES = "tokenizer.ggml.merges";
    static final String PRE = "tokenizer.ggml.pre";

    private GgufTokenizerLoader() {
    }

    /**
     * @throws UnsupportedModelException if the tokenizer model is neither {@code llama} nor {@code gpt2}, or the
     *                                   pre-tokenizer is unknown
     * @throws ModelFormatException      if the metadata is missing, mistyped or inconsistent
     */
    public static Tokenizer load(GgufMetadata md) {
        String model = md.string(MODEL);
        return switch (model) {
            case "llama" -> loadSentencePiece(md);
            case "gpt2" -> loadByteLevelBpe(md);
            default -> throw new UnsupportedModelException(md.source() + ": tokenizer model '" + model + "' (" + MODEL
                    + ") is not supported; llmlab reads SentencePiece-style 'llama' and byte-level BPE 'gpt2'"
                    + " vocabularies from GGUF. Use a model with one of these vocabularies.");
        };
    }

    static SentencePieceTokenizer loadSentencePiece(GgufMetadata md) {
        List<String> pieces = pieces(md);
        int n = pieces.size();
        float[] scores = scores(md, n);
        TokenType[] types = types(md, n);
        SpecialTokens special = specialTokens(md, pieces, types, 1, 2, 0);
        Set<Integer> rstrip = LlamaCppTokenRules.rstripTokens(md.optString("general.name").orElse(""), pieces, types);
        boolean addBos = md.bool("tokenizer.ggml.add_bos_token", true);
        boolean addEos = md.bool("tokenizer.ggml.add_eos_token", false);
        boolean addSpacePrefix = md.bool("tokenizer.ggml.add_space_prefix", true);
        checkAddFlags(md, special, addBos, addEos);
        try {
            Vocabulary vocab = new Vocabulary(pieces, scores, types);
            return new SentencePieceTokenizer(vocab, special,
                    new SpmOptions(addBos, addEos, addSpacePrefix, Set.of(), rstrip));
        } catch (IllegalArgumentException e) {
            throw invalidVocabulary(md, e);
        }
    }

    /** llama.cpp's {@code gpt2} model: byte-level BPE with ranked merges and a named pre-tokenizer. */
    static ByteLevelBpeTokenizer loadByteLevelBpe(GgufMetadata md) {
        List<String> pieces = pieces(md);
        int n = pieces.size();
        TokenType[] types = types(md, n);
        GgufPreTokenizers.Kind pre = GgufPreTokenizers.find(md.optString(PRE).orElse("default"), md.source());
        SpecialTokens special = specialTokens(md, pieces, types, 11, 11, SpecialTokens.NONE);
        boolean addBos = md.bool("tokenizer.ggml.add_bos_token", pre.addBos());
        checkAddFlags(md, special, addBos, md.bool("tokenizer.ggml.add_eos_token", false));
        Map<String, Integer> ids = new HashMap<>(n * 2);
        for (int id = 0; id < n; id++) {
            ids.putIfAbsent(pieces.get(id), id);
        }
        List<String> mergeList = md.contains(MERGES) ? md.stringArray(MERGES) : List.of();
        BpeMerges merges = new BpeMerges(mergeList.size());
        for (int rank = 0; rank < mergeList.size(); rank++) {
            String merge = mergeList.get(rank);
            int space = merge.indexOf(' ', 1); // llama.cpp: the first space after the first character
            Integer left = space < 0 ? null : ids.get(merge.substring(0, space));
            Integer right = space < 0 ? null : ids.get(merge.substring(space + 1));
            Integer result = space < 0 ? null : ids.get(merge.substring(0, space) + merge.substring(space + 1));
            if (left == null || right == null || result == null) {
                throw new ModelFormatException(md.source() + ": " + MERGES + "[" + rank + "] = '" + merge
                        + "' is not two vocabulary tokens whose concatenation is a token; re-convert the model");
            }
            merges.add(left, right, result);
        }
        try {
            Vocabulary vocab = new Vocabulary(pieces, new float[n], types);
            BpeModel model = new BpeModel(ids, merges, new BpeModel.Options(pre.ignoreMerges(), false, -1, false));
            return new ByteLevelBpeTokenizer(vocab, special, model, pre.splitter(), addBos, Set.of());
        } catch (IllegalArgumentException e) {
            throw invalidVocabulary(md, e);
        }
    }

    /** The special token ids, with llama.cpp's defaults and its detection of end-of-turn tokens by text. */
    private static SpecialTokens specialTokens(GgufMetadata md, List<String> pieces, TokenType[] types,
                                               int defaultBos, int defaultEos, int defaultUnk) {
        int n = pieces.size();
        int bos = specialId(md, "tokenizer.ggml.bos_token_id", n, defaultBos);
        int eos = specialId(md, "tokenizer.ggml.eos_token_id", n, defaultEos);
        int unk = specialId(md, "tokenizer.ggml.unknown_token_id", n, defaultUnk);
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
        return new SpecialTokens(bos, eos, unk, eot, eom, pad, eog);
    }

    private static void checkAddFlags(GgufMetadata md, SpecialTokens special, boolean addBos, boolean addEos) {
        if (addBos && special.bos() == SpecialTokens.NONE) {
            throw new ModelFormatException(md.source() + ": tokenizer.ggml.add_bos_token is true but there is no"
                    + " valid tokenizer.ggml.bos_token_id; the tokenizer metadata is inconsistent, re-convert the model");
        }
        if (addEos && special.eos() == SpecialTokens.NONE) {
            throw new ModelFormatException(md.source() + ": tokenizer.ggml.add_eos_token is true but there is no"
                    + " valid tokenizer.ggml.eos_token_id; the tokenizer metadata is inconsistent, re-convert the model");
        }
    }

    private static ModelFormatException invalidVocabulary(GgufMetadata md, IllegalArgumentException e) {
        return new ModelFormatException(md.source() + ": invalid tokenizer vocabulary: " + e.getMessage()
                + "; the file is corrupt or was written by a faulty converter, re-convert the model", e);
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
