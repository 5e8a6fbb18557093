package dev.llmlab.experiment;

import dev.llmlab.generate.FinishReason;
import dev.llmlab.generate.GenerationEvent;
import dev.llmlab.generate.GenerationRequest;
import dev.llmlab.generate.GenerationResult;
import dev.llmlab.generate.GenerationStream;
import dev.llmlab.generate.Generator;
import dev.llmlab.generate.Timings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A generator that "generates" fixed pieces, recording the requests it was given. */
final class ScriptedGenerator implements Generator {
    final List<GenerationRequest> requests = new ArrayList<>();
    boolean closed;
    int streamsClosed;
    private final List<String> pieces;

    ScriptedGenerator(String... pieces) {
        this.pieces = List.of(pieces);
    }

    @Override
    public String describe() {
        return "scripted";
    }

    @Override
    public GenerationStream stream(GenerationRequest request) {
        requests.add(request);
        List<GenerationEvent> events = new ArrayList<>();
        events.add(new GenerationEvent.PromptProcessed(3, Duration.ofMillis(1)));
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            ids.add(100 + i);
            events.add(new GenerationEvent.Token(i, 100 + i, pieces.get(i), Duration.ofMillis(2 + i)));
        }
        Timings timings = new Timings(3, Duration.ofMillis(1), pieces.size(), Duration.ofMillis(pieces.size()),
                Duration.ofMillis(2), Duration.ofMillis(2 + pieces.size()));
        events.add(new GenerationEvent.Finished(new GenerationResult(String.join("", pieces), ids,
                FinishReason.MAX_TOKENS, timings, "scripted"), ""));
        Iterator<GenerationEvent> it = events.iterator();
        return new GenerationStream() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public GenerationEvent next() {
                return it.next();
            }

            @Override
            public void close() {
                streamsClosed++;
            }
        };
    }

    @Override
    public void close() {
        closed = true;
    }
}
