package dev.llmlab.hub;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** A separate JVM that downloads one file (for the two-process lock test): ENDPOINT CACHE REPO PATH. */
public final class DownloadProcess {
    private DownloadProcess() {
    }

    public static void main(String[] args) {
        HubSettings settings = new HubSettings(URI.create(args[0]), null, Path.of(args[1]), false, List.of(), null);
        Path p = new HubDownloader(HubClient.create(settings), new HubCache(Path.of(args[1])), DownloadListener.NONE)
                .download(args[2], "main", args[3]);
        System.out.println(p);
    }
}
