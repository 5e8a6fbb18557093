package dev.llmlab.experiment;

import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationRequest;

import java.util.ArrayList;
import java.util.List;

/** Records what an experiment reported. */
final class RecordingListener implements ExperimentListener {
    final List<String> labels = new ArrayList<>();
    final List<GenerationRequest> requests = new ArrayList<>();
    final List<GenerationEvent> events = new ArrayList<>();

    @Override
    public void generationStarted(String label, GenerationRequest request) {
        labels.add(label);
        requests.add(request);
    }

    @Override
    public void generationEvent(GenerationEvent event) {
        events.add(event);
    }
}
