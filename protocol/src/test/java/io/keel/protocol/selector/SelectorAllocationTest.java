package io.keel.protocol.selector;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.keel.protocol.message.MessageData;

/**
 * Evaluation against an EncodedMessage allocates nothing in the common cases, measured with the JVM's
 * per-thread allocation counter (not a timing).
 */
class SelectorAllocationTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final int WARM_UP = 200_000;
    private static final int RUNS = 100_000;

    /** A provider that captures nothing, as the broker's per-delivery object would be. */
    private static final DeliveryCountProvider COUNT = () -> 2;

    private static MessageData message() {
        return new MessageData().setText("a body that the selector never reads").setPriority(7)
                .setType("car").setCorrelationId("c-1").setMessageId("ID:1")
                .setProperty("size", "XL").setProperty("region", "emea").setProperty("color", "red")
                .setProperty("weight", 12).setProperty("price", 9.99).setProperty("qty", 3L)
                .setProperty("flag", true).setProperty("nothing", null);
    }

    @Test
    void theBriefsSelectorAllocatesNothing() {
        assertAllocationFree("color = 'red' AND weight > 10 OR JMSPriority >= 7", true);
    }

    @ParameterizedTest(name = "{0} => {1}")
    @CsvSource(delimiterString = "=>", textBlock = """
            color = 'blue' AND weight > 10 OR JMSPriority >= 7        => true
            color = 'blue' AND weight > 10 OR JMSPriority >= 8        => false
            color IN ('blue', 'green', 'red')                         => true
            color NOT IN ('blue', 'green')                            => true
            color LIKE 'r%d' AND region LIKE '_m%'                    => true
            size LIKE '%S'                                            => false
            weight BETWEEN 5 AND 15 AND price NOT BETWEEN 10 AND 20   => true
            weight * 2.5 - qty / 2 > 20 AND -price < 0                => true
            nothing IS NULL AND missing IS NULL AND color IS NOT NULL => true
            JMSDeliveryMode = 'PERSISTENT' AND JMSTimestamp >= 0      => true
            flag AND NOT (weight = 13) AND (weight > 1) = TRUE        => true
            missing = 'x' OR nothing > 1 OR color = 1 OR NOT color > 1 => true
            missing = 'x' OR nothing > 1                              => false
            JMSXDeliveryCount > 1 AND JMSXDeliveryCount < 5           => true
            weight / 0 = 1 OR weight = 12.0                           => true
            """)
    void commonSelectorsAllocateNothing(String selector, boolean expected) {
        assertAllocationFree(selector, expected);
    }

    private static void assertAllocationFree(String text, boolean expected) {
        Selector selector = Selector.parse(text);
        EncodedMessageSource source = Messages.encoded(message());
        assertEquals(expected, selector.matches(source, COUNT), text);
        int hits = 0;
        for (int i = 0; i < WARM_UP; i++) {
            hits += selector.matches(source, COUNT) == expected ? 1 : 0;
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < RUNS; i++) {
            hits += selector.matches(source, COUNT) == expected ? 1 : 0;
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertEquals(WARM_UP + RUNS, hits);
        double perEvaluation = (double) allocated / RUNS;
        assertTrue(perEvaluation < 1.0, text + ": " + allocated + " bytes in " + RUNS + " evaluations ("
                + perEvaluation + " per evaluation)");
    }
}
