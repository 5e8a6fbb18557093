package dev.llmlab.hub;

import java.nio.file.Path;

/** Brings a hub reference's files into the cache and returns what to load (a file or a snapshot directory). */
@FunctionalInterface
public interface ModelFetcher {
    Path fetch(ModelRef.Hub ref);
}
