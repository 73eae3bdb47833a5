package io.keel.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class QueueCursorTest {

    @Test
    void aLeasedMessageIsDeliveredToNobodyElseUntilSettledOrReturned() {
        QueueCursor c = new QueueCursor(0);
        assertEquals(1, c.lease(0, 1, 1000, 0));
        assertEquals(0, c.lease(0, 2, 1000, 0), "already leased");
        assertTrue(c.settle(0));
        assertEquals(1, c.ackLevel());
        assertEquals(0, c.lease(0, 2, 1000, 0), "settled messages are never delivered again");
    }

    @Test
    void returnedMessagesComeBackWithAHigherDeliveryCountAfterTheirDelay() {
        QueueCursor c = new QueueCursor(0);
        c.lease(0, 1, 1000, 0);
        c.lease(1, 1, 1000, 0);
        c.lease(2, 2, 1000, 0);
        assertEquals(List.of(0L, 1L), c.releaseConsumer(1, 1500));
        assertFalse(c.isAvailable(0, 1499), "not before the redelivery delay");
        assertEquals(-1, c.nextRedelivery(0, 1499));
        assertEquals(0, c.nextRedelivery(0, 1500));
        assertEquals(1500, c.nextRedeliveryTime());
        assertEquals(2, c.lease(0, 3, 1500, 0), "JMSXDeliveryCount 2 on the first redelivery");
        assertEquals(2, c.release(0, 1500), "released after its second delivery");
        assertEquals(3, c.lease(0, 3, 1600, 0));
        assertTrue(c.isLeased(2), "consumer 2's lease is untouched");
        assertEquals(1, c.deliveriesSoFar(2));
    }

    @Test
    void expiredLeasesAreReturned() {
        QueueCursor c = new QueueCursor(10);
        c.lease(10, 1, 1000, 500);
        c.lease(11, 1, 1000, 0);
        assertEquals(List.of(), c.expireLeases(1499, 0));
        assertEquals(List.of(10L), c.expireLeases(1500, 100));
        assertTrue(c.isLeased(11), "a lease without a deadline does not expire");
        assertEquals(2, c.lease(10, 2, 1600, 0));
    }

    @Test
    void scanningSkipsSettledAndLeasedMessages() {
        QueueCursor c = new QueueCursor(0);
        c.lease(0, 1, 0, 0);
        c.lease(1, 1, 0, 0);
        c.settle(3);
        assertEquals(2, c.nextUnsettled(0));
        assertEquals(4, c.nextUnsettled(3));
        c.settle(2);
        assertEquals(4, c.nextUnsettled(0));
    }

    @Test
    void afterACrashMessagesBelowTheHorizonCountAsMaybeDelivered() {
        QueueCursor c = new QueueCursor(0);
        c.settle(1);
        c.markMaybeDelivered(4);
        assertEquals(2, c.lease(0, 1, 0, 0), "redelivered: it may have been delivered before the crash");
        assertEquals(2, c.lease(2, 1, 0, 0));
        assertEquals(1, c.lease(4, 1, 0, 0), "above the horizon: a first delivery");
    }

    @Test
    void purgeSettlesEverythingBelow() {
        QueueCursor c = new QueueCursor(0);
        c.lease(3, 1, 0, 0);
        c.lease(7, 1, 0, 0);
        c.release(7, 0);
        c.settleBelow(10);
        assertEquals(10, c.ackLevel());
        assertEquals(0, c.trackedEntries());
    }
}
