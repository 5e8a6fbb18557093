package dev.llmlab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.cli.ui.GenerationView;
import dev.llmlab.experiment.Experiment;
import dev.llmlab.experiment.ExperimentContext;
import dev.llmlab.experiment.ExperimentParams;
import dev.llmlab.experiment.ExperimentResult;
import dev.llmlab.experiment.LocalModelSource;
import dev.llmlab.hub.ModelRef;
import dev.llmlab.hub.ModelResolver;
import dev.llmlab.experiment.record.HardwareSummary;
import dev.llmlab.experiment.record.RunRecord;
import dev.llmlab.experiment.record.RunRecords;
import dev.llmlab.experiment.record.RunStore;
import dev.llmlab.io.LoadMode;
import dev.llmlab.model.LoadOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/** {@code llmlab run ID}: runs one experiment on the selected model(s) and records it. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run an experiment (see `llmlab list`) live and write a JSON record of the run.",
                "The record goes to --out DIR, else $LLMLAB_EXPERIMENTS_OUT, else ./experiments_out."})
final class RunCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The experiment's number or name.")
    String id;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "The prompt (default: the experiment's).")
    String prompt;

    @Option(names = "--file", paramLabel = "TEXT", description = "A text file (perplexity: the text to score).")
    String file;

    @Option(names = "--stride", paramLabel = "N", description = "Perplexity: slide a window by N tokens "
            + "(Hugging Face style) instead of llama.cpp's chunks.")
    Integer stride;

    @Option(names = "--system", paramLabel = "TEXT", description = "Chat: the system prompt.")
    String system;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "An experiment option (see `llmlab list`), "
            + "e.g. --set temperatures=0,0.8,1.2; repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = {"--out", "--records"}, paramLabel = "DIR", description = "Where the run records go (default: "
            + "$LLMLAB_EXPERIMENTS_OUT, else ./experiments_out).")
    Path out;

    @Option(names = "--replay", paramLabel = "RUN", description = "Run a recorded run again (id from `llmlab runs` "
            + "or a record file) with its parameters and seed, and check that every token is the same.")
    String replay;

    @Mixin
    OutputLimitOptions output = new OutputLimitOptions();

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    SamplingOptions sampling = new SamplingOptions();

    @Mixin
    RemoteKeyOption remoteKey = new RemoteKeyOption();

    RunCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        RunStore store = new RunStore(out != null ? out : context.env().experimentsOut());
        RunRecord original = replay == null ? null : store.find(replay);
        if (original == null && id == null) {
            throw new ParameterException(spec.commandLine(), "which experiment? give its number or name (see `llmlab list`), "
                    + "or --replay RUN");
        }
        Experiment experiment = context.experiments().find(original != null
                ? String.valueOf(original.experimentName()) : id);
        ExperimentParams params = original != null ? RunRecords.params(original) : requestedParams();
        experiment.checkOptions(params.options());
        List<String> refs = original != null && !original.models().isEmpty()
                ? original.models().stream().map(RunRecord.ModelFile::ref).toList() : model.models;
        experiment.checkModelCount(refs.size());
        LoadOptions loadOptions = original != null ? recordedLoadOptions(original) : model.loadOptions();

        GenerationView view = Views.forReport(context, output.json);
        ModelResolver resolver = context.modelResolver();
        LocalModelSource models = ModelOptions.source(refs, resolver, loadOptions, view::modelLoaded);
        Instant start = Instant.now();
        long startNanos = System.nanoTime();
        ExperimentResult result;
        try (LocalGeneratorSource generators = LocalGeneratorSource.select(refs, remoteKey.apiKey, context, models)) {
            result = experiment.run(new ExperimentContext(generators, models, params, view));
        } catch (RuntimeException e) {
            view.abandoned();
            throw e;
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        RunRecord record = RunRecords.of(RunRecords.newId(start, experiment.name(), new SplittableRandom()), start,
                VersionProvider.version(), result, recordParameters(params, loadOptions), models.usedFiles(),
                HardwareSummary.detect(), seconds);
        Path written = store.write(record);
        List<String> differences = original == null ? List.of() : RunRecords.differences(original, result);
        report(result, record, written, original, differences);
        return differences.isEmpty() ? 0 : FailureHandler.RUNTIME_FAILURE;
    }

    private ExperimentParams requestedParams() {
        Map<String, String> options = new LinkedHashMap<>(settings);
        if (file != null) {
            options.put("file", file);
        }
        if (stride != null) {
            options.put("stride", String.valueOf(stride));
        }
        if (system != null) {
            options.put("system", system);
        }
        return new ExperimentParams(prompt, sampling.params(), output.maxTokens, output.stops, options);
    }

    private static LoadOptions recordedLoadOptions(RunRecord record) {
        RunRecord.Parameters p = record.parameters();
        LoadOptions options = LoadOptions.defaults().withContextLength(Math.max(0, p.contextLength()));
        if (p.threads() > 0) {
            options = options.withThreads(p.threads());
        }
        return "MMAP".equals(p.loadMode()) ? options.withLoadMode(LoadMode.MMAP) : options;
    }

    private static RunRecord.Parameters recordParameters(ExperimentParams params, LoadOptions options) {
        return new RunRecord.Parameters(params.prompt(), params.sampling(), params.maxTokens(), params.stopStrings(),
                params.options(), options.threads(), options.contextLength(), options.loadMode().name());
    }

    private void report(ExperimentResult result, RunRecord record, Path written, RunRecord original,
                        List<String> differences) {
        if (output.json) {
            ObjectNode line = RunStore.json().createObjectNode();
            line.put("type", "run").put("experiment", result.name()).put("run_id", record.id())
                    .put("record", written.toString());
            result.metrics().forEach(line::put);
            line.set("metrics", RunStore.json().valueToTree(record.outputs().metrics()));
            if (record.outputs().details() != null) {
                line.set("details", record.outputs().details());
            }
            if (original != null) {
                line.put("replay_of", original.id()).put("reproduced", differences.isEmpty());
                line.set("differences", RunStore.json().valueToTree(differences));
            }
            context.out().println(line.toString());
        } else {
            context.out().println("Run recorded: " + written);
            if (original != null) {
                if (differences.isEmpty()) {
                    context.out().println("Replay of " + original.id() + ": all " + result.generations().size()
                            + " generation(s) reproduced token for token.");
                } else {
                    context.err().println("Replay of " + original.id() + " differs:");
                    differences.forEach(d -> context.err().println("  " + d));
                }
            }
        }
        context.out().flush();
    }
}
