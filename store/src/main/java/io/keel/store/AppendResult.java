package io.keel.store;

/** Where an appended record landed. */
public record AppendResult(long physicalOffset, long queueOffset, int size, long storeTimestamp) {
}
