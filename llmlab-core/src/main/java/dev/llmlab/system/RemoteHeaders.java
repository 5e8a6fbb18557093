package dev.llmlab.system;

import dev.llmlab.error.LlmlabException;
import dev.llmlab.error.ModelFormatException;
import dev.llmlab.error.ModelNotFoundException;
import dev.llmlab.error.UnsupportedModelException;
import dev.llmlab.hub.HubApi;
import dev.llmlab.hub.ModelRef;
import dev.llmlab.hub.RepoFile;
import dev.llmlab.hub.RepoFiles;
import dev.llmlab.model.ArchitectureRegistry;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A hub model's header, read over HTTP range requests without downloading the weights: the GGUF file's first
 * bytes are written at the start of a sparse local file of the real size, which the ordinary reader then parses
 * (the tensor data it never touches is a hole). When the header turns out longer than what was fetched, the next
 * range is fetched and the parse repeated.
 */
public final class RemoteHeaders {
    /** Header bytes fetched first; each retry fetches as much again as was fetched so far. */
    public static final int FIRST_FETCH_BYTES = 256 * 1024;
    private static final long MAX_HEADER_BYTES = 512L << 20;

    private RemoteHeaders() {
    }

    public static ModelHeader gguf(HubApi api, ModelRef.Hub ref, ArchitectureRegistry architectures, Path tempDir,
                                   boolean measureHeap) {
        List<RepoFile> files = api.listFiles(ref.repo(), ref.revision());
        RepoFiles.Selection selection = RepoFiles.select(ref, files.stream().map(RepoFile::path).toList())
                .orElseThrow(() -> new ModelNotFoundException(ref + ": no model file in the repository"));
        String path = selection.primary();
        if (path == null || !RepoFiles.isGguf(path)) {
            throw new UnsupportedModelException(ref + ": fit reads GGUF headers over HTTP; this repository has "
                    + "safetensors weights: download it (`llmlab download " + ref + "`) and run fit on it");
        }
        if (selection.files().size() > 1) {
            throw new UnsupportedModelException(ref + ": " + path + " is split in " + selection.files().size()
                    + " parts; fit reads single-file GGUF headers over HTTP");
        }
        long size = api.client().fileMetadata(ref.repo(), ref.revision(), path).sizeBytes();
        if (size <= 0) {
            throw new ModelFormatException(ref + ": the hub reports no size for " + path);
        }
        Path sparse = null;
        try {
            sparse = Files.createTempFile(tempDir, "llmlab-header-", ".gguf");
            try (RandomAccessFile out = new RandomAccessFile(sparse.toFile(), "rw")) {
                out.setLength(size);
                long fetched = 0;
                long want = Math.min(size, FIRST_FETCH_BYTES);
                while (true) {
                    byte[] bytes = api.client().readRange(ref.repo(), ref.revision(), path, fetched,
                            (int) (want - fetched));
                    out.seek(fetched);
                    out.write(bytes);
                    fetched += bytes.length;
                    LlmlabException failure = null;
                    try {
                        // the cheap parse first; the tokenizer's heap is measured once the header is complete
                        if (ModelHeaders.gguf(sparse, architectures, false).dataOffsetBytes() <= fetched) {
                            return rename(ModelHeaders.gguf(sparse, architectures, measureHeap), ref + " (" + path + ")");
                        }
                    } catch (LlmlabException e) {
                        failure = e; // the parse ran into bytes not fetched yet, or the file is bad
                    }
                    if (fetched >= size || fetched >= MAX_HEADER_BYTES) {
                        throw failure != null ? failure : new ModelFormatException(ref + ": the header of " + path
                                + " is longer than " + fetched + " bytes");
                    }
                    want = Math.min(size, 2 * fetched);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a temporary header file in " + tempDir + ": "
                    + e.getMessage(), e);
        } finally {
            if (sparse != null) {
                try {
                    Files.deleteIfExists(sparse);
                } catch (IOException ignored) {
                    // a temporary file left in the temp directory; nothing to undo
                }
            }
        }
    }

    private static ModelHeader rename(ModelHeader h, String source) {
        return new ModelHeader(h.name(), source, h.config(), h.tensors(), h.dataOffsetBytes(), h.alignment(),
                h.fileBytes(), h.vocabularyTokens(), h.metadataHeapBytes(), h.quantizeWhenLarge(), h.transposed());
    }
}
