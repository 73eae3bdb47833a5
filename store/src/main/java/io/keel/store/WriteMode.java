package io.keel.store;

/** How records reach the CommitLog files. */
public enum WriteMode {
    /** Records are copied into memory-mapped segments (the default, one copy per payload). */
    MMAP,
    /**
     * Records are written with positional FileChannel writes, for environments where writing through
     * mappings is unwelcome; reads still use a read-only view of the mapping, which the page cache
     * keeps coherent with the writes.
     */
    FILE_CHANNEL
}
