package io.keel.protocol.selector;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The bounded, thread-safe cache of parsed selectors. */
class SelectorCacheTest {

    @Test
    void returnsTheSameParsedSelectorForTheSameText() {
        SelectorCache cache = new SelectorCache();
        Selector a = cache.get("color = 'red'");
        assertSame(a, cache.get("color = 'red'"));
        assertNotSame(a, cache.get("color = 'red' ")); // the text is the key
        assertEquals(2, cache.size());
        assertEquals(SelectorCache.DEFAULT_CAPACITY, cache.capacity());
    }

    @Test
    void evictsTheLeastRecentlyUsed() {
        SelectorCache cache = new SelectorCache(3);
        Selector a = cache.get("a");
        Selector b = cache.get("b");
        cache.get("c");
        assertSame(a, cache.get("a")); // a is now the most recent
        cache.get("d"); // evicts b
        assertEquals(3, cache.size());
        assertSame(a, cache.get("a"));
        assertNotSame(b, cache.get("b"));
        assertEquals(3, cache.size());
    }

    @Test
    void blankTextIsMatchAllAndNotStored() {
        SelectorCache cache = new SelectorCache(2);
        assertSame(Selector.MATCH_ALL, cache.get(null));
        assertSame(Selector.MATCH_ALL, cache.get(""));
        assertSame(Selector.MATCH_ALL, cache.get(" \t"));
        assertEquals(0, cache.size());
    }

    @Test
    void invalidSelectorsThrowEveryTimeAndAreNotStored() {
        SelectorCache cache = new SelectorCache(2);
        SelectorSyntaxError first = assertThrows(SelectorSyntaxError.class, () -> cache.get("a ="));
        SelectorSyntaxError second = assertThrows(SelectorSyntaxError.class, () -> cache.get("a ="));
        assertNotSame(first, second);
        assertEquals(0, cache.size());
        assertThrows(IllegalArgumentException.class, () -> new SelectorCache(0));
    }

    @Test
    void concurrentUseStaysBoundedAndConsistent() throws Exception {
        SelectorCache cache = new SelectorCache(16);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        int k = (i * 7 + seed) % 40;
                        Selector s = cache.get("p" + k + " = " + k);
                        assertEquals("p" + k + " = " + k, s.text());
                        assertTrue(s.matches(new MessageDataSource(
                                new io.keel.protocol.message.MessageData().setProperty("p" + k, k))));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(cache.size() <= 16, "size " + cache.size());
    }
}
