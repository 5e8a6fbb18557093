package dev.llmlab.cli;

import dev.llmlab.sampling.SamplingParams;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Map;

/**
 * Option defaults that come from the engine rather than from annotation constants, so {@code --help} shows
 * the values actually used and there is one source of truth ({@link SamplingParams#defaults()}).
 */
final class CliDefaults implements IDefaultValueProvider {
    private final Map<String, String> defaults;

    CliDefaults() {
        SamplingParams s = SamplingParams.defaults();
        defaults = Map.of(
                "--temperature", Float.toString(s.temperature()),
                "--top-k", Integer.toString(s.topK()),
                "--top-p", Float.toString(s.topP()),
                "--min-p", Float.toString(s.minP()),
                "--repeat-penalty", Float.toString(s.repeatPenalty()),
                "--repeat-last-n", Integer.toString(s.repeatLastN()),
                "--seed", Long.toString(s.seed()),
                "--threads", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (argSpec.command() != null && argSpec.command().name().equals("modify")
                && !(argSpec instanceof OptionSpec o && o.longestName().equals("--threads"))) {
            return null; // modify's sampling options set model defaults: absent means "keep the model's"
        }
        return argSpec instanceof OptionSpec option ? defaults.get(option.longestName()) : null;
    }
}
