package dev.llmlab.tokenizer;

import java.util.OptionalInt;
import java.util.Set;

/**
 * The ids of a vocabulary's special tokens; {@link #NONE} where the vocabulary has none.
 *
 * @param endOfGeneration every id that ends generation (EOS, EOT, EOM and the ones llama.cpp recognises by text)
 */
public record SpecialTokens(int bos, int eos, int unk, int eot, int eom, int pad, Set<Integer> endOfGeneration) {
    public static final int NONE = -1;

    public SpecialTokens {
        endOfGeneration = Set.copyOf(endOfGeneration);
    }

    public OptionalInt bosId() {
        return optional(bos);
    }

    public OptionalInt eosId() {
        return optional(eos);
    }

    public OptionalInt unkId() {
        return optional(unk);
    }

    private static OptionalInt optional(int id) {
        return id == NONE ? OptionalInt.empty() : OptionalInt.of(id);
    }
}
