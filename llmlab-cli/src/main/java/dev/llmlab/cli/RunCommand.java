package dev.llmlab.cli;

import dev.llmlab.cli.ui.GenerationView;
import dev.llmlab.experiment.Experiment;
import dev.llmlab.experiment.ExperimentContext;
import dev.llmlab.experiment.ExperimentParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code llmlab run ID}: runs one experiment on the selected model. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run an experiment (see `llmlab list`) and show it live.")
final class RunCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "ID", description = "The experiment's number or name.")
    String id;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "The prompt (default: the experiment's).")
    String prompt;

    @Mixin
    OutputLimitOptions output = new OutputLimitOptions();

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    SamplingOptions sampling = new SamplingOptions();

    RunCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Experiment experiment = context.experiments().find(id);
        ExperimentParams params = new ExperimentParams(prompt, sampling.params(), output.maxTokens, output.stops);
        GenerationView view = Views.forReport(context, output.json);
        try (LocalGeneratorSource generators = new LocalGeneratorSource(
                () -> model.load(context.modelResolver(), model.loadOptions()), view::modelLoaded)) {
            experiment.run(new ExperimentContext(generators, params, view));
        } catch (RuntimeException e) {
            view.abandoned();
            throw e;
        }
        return 0;
    }
}
