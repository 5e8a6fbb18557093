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
    final List<String> notes = new ArrayList<>();
    final List<String> tableTitles = new ArrayList<>();
    final List<List<List<String>>> tables = new ArrayList<>();
    final List<String> progress = new ArrayList<>();

    @Override
    public void note(String text) {
        notes.add(text);
    }

    @Override
    public void table(String title, List<String> header, List<List<String>> rows) {
        tableTitles.add(title);
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        tables.add(all);
    }

    @Override
    public void progress(String task, int done, int total, String detail) {
        progress.add(task + " " + done + "/" + total);
    }

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
