package dev.llmlab.tokenizer;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The adjustments llama.cpp makes to a vocabulary after reading it, because converted files often lack them:
 * end-of-turn and fill-in-the-middle tokens found by their text become control tokens, a set of texts marks
 * end-of-generation tokens, and Phi-3 models get rstrip on their special tokens. Kept as data in one place so
 * the loader stays a plain reader. Only what matters for SentencePiece-style vocabularies is here.
 */
public final class LlamaCppTokenRules {
    static final List<String> EOT_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>",
            "<end_of_utterance>");
    static final List<String> EOM_TEXTS = List.of("<|eom_id|>");
    static final List<String> FIM_PRE_TEXTS = List.of("<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>",
            "<｜fim▁begin｜>", "<PRE>", "▁<PRE>", "<|code_prefix|>", "<|prefix|>");
    static final List<String> FIM_SUF_TEXTS = List.of("<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>",
            "<｜fim▁hole｜>", "<SUF>", "▁<SUF>", "<|code_suffix|>", "<|suffix|>");
    static final List<String> FIM_MID_TEXTS = List.of("<|fim_middle|>", "<fim-middle>", "<fim_middle>",
            "<｜fim▁end｜>", "<MID>", "▁<MID>", "<|code_middle|>", "<|middle|>");
    static final List<String> FIM_PAD_TEXTS = List.of("<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]");
    static final List<String> FIM_REP_TEXTS = List.of("<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>",
            "<reponame>");
    static final List<String> FIM_SEP_TEXTS = List.of("<|file_sep|>");
    static final Set<String> EOG_TEXTS = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>",
            "<|flush|>", "<|calls|>", "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>",
            "[EOT]", "[EOS]", "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
            "<｜end▁of▁sentence｜>", "[e~[");

    private LlamaCppTokenRules() {
    }

    /** Whether llama.cpp treats a token with this text as ending generation ({@code <|im_end|>}, ...). */
    public static boolean isEndOfGenerationText(String piece) {
        return EOG_TEXTS.contains(piece);
    }

    /**
     * Finds a token by text when the metadata named none: the lowest id whose piece is in {@code texts} becomes
     * a control token (llama.cpp overrides such types: "this is probably a bug in the model").
     *
     * @return the id given, or the one found, or {@link SpecialTokens#NONE}
     */
    static int detect(int given, List<String> texts, List<String> pieces, TokenType[] types) {
        if (given != SpecialTokens.NONE) {
            return given;
        }
        for (int id = 0; id < pieces.size(); id++) {
            if (texts.contains(pieces.get(id))) {
                types[id] = TokenType.CONTROL;
                return id;
            }
        }
        return SpecialTokens.NONE;
    }

    /** End-of-generation ids: every token with an EOG text (made control) plus the given ids. */
    static Set<Integer> endOfGeneration(List<String> pieces, TokenType[] types, int... ids) {
        Set<Integer> eog = new HashSet<>();
        for (int id = 0; id < pieces.size(); id++) {
            if (EOG_TEXTS.contains(pieces.get(id))) {
                eog.add(id);
                types[id] = TokenType.CONTROL;
            }
        }
        for (int id : ids) {
            if (id != SpecialTokens.NONE) {
                eog.add(id);
            }
        }
        return eog;
    }

    /**
     * Phi-3 models (by {@code general.name}) strip whitespace after their special tokens, except after
     * {@code <unk>}, {@code <s>} and {@code <|endoftext|>}.
     */
    static Set<Integer> rstripTokens(String modelName, List<String> pieces, TokenType[] types) {
        String name = modelName.toLowerCase(Locale.ROOT);
        if (!name.contains("phi-3") && !name.contains("phi3")) {
            return Set.of();
        }
        Set<Integer> rstrip = new HashSet<>();
        for (int id = 0; id < pieces.size(); id++) {
            TokenType t = types[id];
            if (t == TokenType.CONTROL || t == TokenType.USER_DEFINED || t == TokenType.UNKNOWN
                    || pieces.get(id).equals("</s>")) {
                rstrip.add(id);
            }
        }
        for (String keep : List.of("<unk>", "<s>", "<|endoftext|>")) {
            rstrip.remove(pieces.indexOf(keep));
        }
        return rstrip;
    }
}
