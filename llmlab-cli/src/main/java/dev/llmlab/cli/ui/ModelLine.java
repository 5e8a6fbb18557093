package dev.llmlab.cli.ui;

import dev.llmlab.model.ModelInfo;

import java.util.Locale;

/** The one-line description of a loaded model shown before generating. */
public final class ModelLine {
    private ModelLine() {
    }

    /** The model's name, with the file name when the name alone does not say which file it is. */
    public static String displayName(ModelInfo info) {
        String file = info.file().getFileName().toString();
        String stem = file.endsWith(".gguf") ? file.substring(0, file.length() - ".gguf".length()) : file;
        return info.name().equals(file) || info.name().equals(stem) ? info.name() : info.name() + " (" + file + ")";
    }

    /** Like llama.cpp's n_ctx > n_ctx_train warning: positions past the trained ones degrade the output. */
    private static String beyondTraining(ModelInfo info, Ansi ansi) {
        return info.contextLength() > info.trainedContextLength()
                ? ansi.style(" (beyond the " + info.trainedContextLength() + " it was trained on: quality may degrade)",
                Style.YELLOW)
                : "";
    }

    /** e.g. {@code Loaded stories260K · llama · 1.2 MB · 292K params · F32 · read · 4 threads · 35 ms}. */
    public static String describe(ModelInfo info, Ansi ansi) {
        String sep = ansi.style(" · ", Style.BRIGHT_BLACK);
        return ansi.style("Loaded ", Style.DIM) + ansi.style(displayName(info), Style.BOLD)
                + sep + info.architecture()
                + sep + HumanUnits.bytes(info.fileSizeBytes())
                + sep + HumanUnits.count(info.parameterCount()) + " params"
                + sep + (info.weightTypes().isEmpty() ? info.tensorTypeSummary() : info.weightTypes())
                + sep + String.valueOf(info.loadMode()).toLowerCase(Locale.ROOT)
                + sep + info.threads() + (info.threads() == 1 ? " thread" : " threads")
                + sep + "context " + info.contextLength() + beyondTraining(info, ansi)
                + sep + "in " + HumanUnits.duration(info.loadTime());
    }
}
