package dev.llmlab.hub;

/**
 * A file in a hub repository, from the tree API.
 *
 * @param path      its path inside the repository
 * @param sizeBytes its size
 * @param lfsSha256 the sha256 of an LFS file, or null for a regular git file
 */
public record RepoFile(String path, long sizeBytes, String lfsSha256) {
}
