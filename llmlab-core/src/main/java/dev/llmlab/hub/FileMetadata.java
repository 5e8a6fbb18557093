package dev.llmlab.hub;

import java.net.URI;

/**
 * What the hub's {@code resolve} endpoint says about a file before it is downloaded.
 *
 * @param commit    the commit the revision points to ({@code X-Repo-Commit})
 * @param etag      the blob's name: the LFS sha256 ({@code X-Linked-Etag}) or the git sha1 ({@code ETag})
 * @param sizeBytes the file's size ({@code X-Linked-Size} or {@code Content-Length}), -1 if unknown
 * @param lfs       the file is stored in LFS (its etag is its sha256)
 * @param location  where the bytes are served (the redirect target, or the resolve URL itself)
 */
public record FileMetadata(String commit, String etag, long sizeBytes, boolean lfs, URI location) {
}
