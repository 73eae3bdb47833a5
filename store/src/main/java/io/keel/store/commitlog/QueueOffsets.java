package io.keel.store.commitlog;

import io.keel.store.QueueKey;

/**
 * Hands out queue offsets while the CommitLog's write lock is held, so offsets follow log order.
 */
public interface QueueOffsets {

    /** The next offset of {@code key}'s ConsumeQueue, reserved for the record being written. */
    long next(QueueKey key);

    /** Gives back the offset just reserved for {@code key}, because the write failed. */
    void undo(QueueKey key);

    /**
     * A record deleting {@code key}'s queue is being written: later records of {@code key} start a
     * new queue at offset 0.
     */
    void deleted(QueueKey key);
}
