package dev.llmlab.tokenizer;

import java.util.Set;

/**
 * Behaviour switches of a SentencePiece-style tokenizer, from the GGUF metadata.
 *
 * @param addBos         the model wants BOS before prompts ({@code tokenizer.ggml.add_bos_token}, default true)
 * @param addEos         the model wants EOS after prompts ({@code tokenizer.ggml.add_eos_token}, default false)
 * @param addSpacePrefix prepend a space to text that starts a sequence or follows a special token, and drop it
 *                       again when decoding the first token ({@code tokenizer.ggml.add_space_prefix}, default true)
 * @param lstripTokens   special tokens that swallow the whitespace before them when matched in text
 * @param rstripTokens   special tokens that swallow the whitespace after them when matched in text
 */
public record SpmOptions(boolean addBos, boolean addEos, boolean addSpacePrefix, Set<Integer> lstripTokens,
                         Set<Integer> rstripTokens) {

    public SpmOptions {
        lstripTokens = Set.copyOf(lstripTokens);
        rstripTokens = Set.copyOf(rstripTokens);
    }

    /** llama.cpp's defaults for a {@code llama} (SentencePiece) vocabulary. */
    public static SpmOptions defaults() {
        return new SpmOptions(true, false, true, Set.of(), Set.of());
    }
}
