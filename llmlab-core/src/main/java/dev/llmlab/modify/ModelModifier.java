package dev.llmlab.modify;

import dev.llmlab.gguf.GgufModel;

import java.util.Objects;

/**
 * A pure transformation of a model: {@link #apply} returns a new {@link GgufModel} and never changes its input;
 * tensors it does not touch are shared with the input (the same {@code MemorySegment}), so a modified model costs
 * only what changed. {@link #check} says before any work whether the model can take the modifier.
 */
public interface ModelModifier {

    /**
     * Fails with an {@link dev.llmlab.error.LlmlabException} naming the tensor or metadata key and the constraint
     * when {@code model} cannot take this modifier; does nothing otherwise.
     */
    void check(GgufModel model);

    /** The modified model (checks first). */
    GgufModel apply(GgufModel model);

    /** One line saying what this modifier does, e.g. {@code drop layers [4]}. */
    String describe();

    /** This modifier, then {@code next} on its result. */
    default ModelModifier andThen(ModelModifier next) {
        return new Chain(this, Objects.requireNonNull(next, "next"));
    }

    /** Two modifiers in turn. The second is checked against the first's result, so its check runs after it. */
    record Chain(ModelModifier first, ModelModifier second) implements ModelModifier {
        public Chain {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(second, "second");
        }

        @Override
        public void check(GgufModel model) {
            first.check(model);
        }

        @Override
        public GgufModel apply(GgufModel model) {
            return second.apply(first.apply(model));
        }

        @Override
        public String describe() {
            return first.describe() + ", then " + second.describe();
        }
    }
}
