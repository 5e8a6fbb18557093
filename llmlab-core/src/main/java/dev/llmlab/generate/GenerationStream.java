package dev.llmlab.generate;

import java.util.Iterator;

/**
 * A pull-based stream of generation events on the caller's thread. Closing it early cancels the generation
 * (the work stops at the next token). The last event is always {@link GenerationEvent.Finished}.
 */
public interface GenerationStream extends Iterator<GenerationEvent>, AutoCloseable {
    @Override
    void close();
}
