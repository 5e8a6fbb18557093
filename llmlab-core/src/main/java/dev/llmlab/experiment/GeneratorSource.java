package dev.llmlab.experiment;

import dev.llmlab.generate.Generator;

/**
 * Opens the generator an experiment runs on, lazily: experiments that need no model never pay for loading
 * one. The source owns what it opens; whoever created it closes those generators after the run.
 */
@FunctionalInterface
public interface GeneratorSource {

    /** The generator for the model the user selected; the same instance on every call. */
    Generator generator();

    /** A source that always returns {@code generator} (already open). */
    static GeneratorSource of(Generator generator) {
        return () -> generator;
    }
}
