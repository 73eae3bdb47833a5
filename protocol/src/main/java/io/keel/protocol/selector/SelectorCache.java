package io.keel.protocol.selector;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed selectors by text, least recently used evicted beyond a bound. Thread-safe (one lock; a get
 * happens when a consumer is created, not per message). Invalid selectors are not cached: each
 * {@link #get} of one throws a fresh {@link SelectorSyntaxError}. Parsing happens outside the lock, so
 * two threads asking for a new selector at once may both parse it; both results are equivalent.
 */
public final class SelectorCache {

    public static final int DEFAULT_CAPACITY = 1024;

    private final int capacity;
    private final LinkedHashMap<String, Selector> map;

    public SelectorCache() {
        this(DEFAULT_CAPACITY);
    }

    public SelectorCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " < 1");
        }
        this.capacity = capacity;
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Selector> eldest) {
                return size() > SelectorCache.this.capacity;
            }
        };
    }

    /** The parsed selector for {@code text} ({@link Selector#MATCH_ALL} if blank); SelectorSyntaxError if invalid. */
    public Selector get(String text) {
        if (Selector.isBlank(text)) {
            return Selector.MATCH_ALL;
        }
        synchronized (map) {
            Selector s = map.get(text);
            if (s != null) {
                return s;
            }
        }
        Selector parsed = Selector.parse(text);
        synchronized (map) {
            Selector raced = map.putIfAbsent(text, parsed);
            return raced != null ? raced : parsed;
        }
    }

    public int size() {
        synchronized (map) {
            return map.size();
        }
    }

    public int capacity() {
        return capacity;
    }
}
