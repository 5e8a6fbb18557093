package dev.llmlab.cli.ui;

import dev.llmlab.experiment.ExperimentListener;
import dev.llmlab.model.ModelInfo;

/** Shows generations as they happen: a live panel, plain text or JSON lines. */
public interface GenerationView extends ExperimentListener {

    /** The model is loaded; views that show a load line show it now. */
    void modelLoaded(ModelInfo info);

    /** The run failed midway; a view that left the cursor inside a live region moves it below. */
    default void abandoned() {
    }
}
