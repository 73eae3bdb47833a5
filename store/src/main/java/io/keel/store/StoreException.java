package io.keel.store;

/** A store operation failed; the message names the object and the rule broken. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The data directory is already open in another process (or twice in this one). */
    public static final class Locked extends StoreException {
        public Locked(String message) {
            super(message);
        }
    }

    /** An append was refused because the disk is above its usage limit or out of space. */
    public static final class Full extends StoreException {
        public Full(String message) {
            super(message);
        }

        public Full(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A record is larger than the configured maximum. */
    public static final class RecordTooLarge extends StoreException {
        public RecordTooLarge(String message) {
            super(message);
        }
    }

    /** A synchronous flush did not complete in time; the append's durability is unknown. */
    public static final class FlushTimeout extends StoreException {
        public FlushTimeout(String message) {
            super(message);
        }
    }

    /** A read named a queue the store has never seen. */
    public static final class UnknownQueue extends StoreException {
        public UnknownQueue(String message) {
            super(message);
        }
    }

    /** A read named an offset outside the stored range. */
    public static final class OffsetOutOfRange extends StoreException {
        public OffsetOutOfRange(String message) {
            super(message);
        }
    }

    /** The store is closed, or failed and stopped accepting work. */
    public static final class Closed extends StoreException {
        public Closed(String message) {
            super(message);
        }
    }
}
