package dev.llmlab.experiment;

import dev.llmlab.generate.GenerationRequest;

import java.util.List;

/** Experiment 1: stream a story from a prompt, token by token, and report the speed. */
public final class BasicGeneration implements Experiment {
    public static final String DEFAULT_PROMPT = "Once upon a time";

    @Override
    public int number() {
        return 1;
    }

    @Override
    public String name() {
        return "basic-generation";
    }

    @Override
    public String description() {
        return "Stream a short story from a prompt, token by token, with timings";
    }

    @Override
    public ExperimentResult run(ExperimentContext context) {
        ExperimentParams p = context.params();
        GenerationRequest request = new GenerationRequest(p.promptOr(DEFAULT_PROMPT), p.sampling(), p.maxTokens(),
                p.stopStrings(), null);
        return ExperimentResult.of(this, List.of(context.generate("", request)));
    }
}
