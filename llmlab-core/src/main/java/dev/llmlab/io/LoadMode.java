package dev.llmlab.io;

/**
 * How weight files become memory. Mapping is instant and shares the page cache, but on virtual machines the
 * kernel may evict idle mapped pages and decode slows down many times; reading copies the file into memory
 * once and stays fast.
 */
public enum LoadMode {
    /** Memory-map the file (lazy, shared page cache). */
    MMAP,
    /** Read the whole file into off-heap memory ({@code --no-mmap}). */
    READ
}
