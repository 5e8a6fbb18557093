package dev.llmlab.experiment;

/**
 * A setting an experiment accepts beyond the common ones (prompt, sampling, max tokens), given on the command
 * line as {@code --set key=value} and kept in run records.
 *
 * @param key          kebab-case name, e.g. {@code temperatures}
 * @param defaultValue the value used when none is given (empty: none; the experiment says what that means)
 * @param description  one line for {@code llmlab list}
 */
public record ExperimentOption(String key, String defaultValue, String description) {
}
