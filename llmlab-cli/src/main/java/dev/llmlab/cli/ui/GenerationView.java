package dev.llmlab.cli.ui;

import dev.llmlab.experiment.ExperimentListener;
import dev.llmlab.model.ModelInfo;

/** Shows generations as they happen: a live panel, plain text or JSON lines. */
public interface GenerationView extends ExperimentListener {

    /** The model is loaded; views that show a load line show it now. */
    void modelLoaded(ModelInfo info);
}
