package dev.llmlab.hub;

import java.time.Duration;

/** What a download reports as it goes; the CLI draws a progress bar from it. Calls come from one thread. */
public interface DownloadListener {
    DownloadListener NONE = new DownloadListener() {
    };

    /** A file's bytes start to arrive; {@code resumedBytes} were already on disk from an interrupted attempt. */
    default void started(String path, long totalBytes, long resumedBytes) {
    }

    /** {@code doneBytes} of {@code totalBytes} (-1 if unknown) are on disk. */
    default void progress(String path, long doneBytes, long totalBytes) {
    }

    /** An attempt failed for a reason that may pass; the next one starts after {@code delay}. */
    default void retrying(String path, int failedAttempt, Duration delay, String reason) {
    }

    /** The file is in the cache ({@code cached}: it already was, nothing was downloaded). */
    default void finished(String path, long totalBytes, boolean cached) {
    }
}
