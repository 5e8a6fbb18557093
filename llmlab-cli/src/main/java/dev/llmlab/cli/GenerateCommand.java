package dev.llmlab.cli;

import dev.llmlab.cli.ui.GenerationView;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.GenerationStream;
import dev.llmlab.generate.Generator;
import dev.llmlab.generate.ModelDefaults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code llmlab generate}: one completion, for direct use and for scripts. Piped, stdout holds exactly the
 * generated text (the summary goes to stderr); with {@code --json}, JSON lines.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a completion of a prompt.",
                "Piped, stdout gets only the generated text and stderr the summary."})
final class GenerateCommand implements Callable<Integer> {
    private final CliContext context;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", required = true, description = "The prompt.")
    String prompt;

    @Mixin
    OutputLimitOptions output = new OutputLimitOptions();

    @Option(names = "--no-bos", description = "Do not add the beginning-of-sequence token (default: as the "
            + "model's metadata says).")
    boolean noBos;

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    SamplingOptions sampling = new SamplingOptions();

    @Mixin
    RemoteKeyOption remoteKey = new RemoteKeyOption();

    GenerateCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        GenerationRequest request = new GenerationRequest(prompt, sampling.params(), output.maxTokens, output.stops,
                noBos ? Boolean.FALSE : null);
        GenerationView view = Views.forScript(context, output.json);
        try (LocalGeneratorSource source = LocalGeneratorSource.select(model, remoteKey.apiKey, context, view::modelLoaded)) {
            Generator generator = source.generator();
            request = ModelDefaults.apply(request, generator.generationDefaults(), name -> spec.commandLine()
                    .getParseResult().hasMatchedOption("--" + name.replace('_', '-')));
            view.generationStarted("", request);
            try (GenerationStream stream = generator.stream(request)) {
                while (stream.hasNext()) {
                    view.generationEvent(stream.next());
                }
            }
        } catch (RuntimeException e) {
            view.abandoned();
            throw e;
        }
        return 0;
    }
}
