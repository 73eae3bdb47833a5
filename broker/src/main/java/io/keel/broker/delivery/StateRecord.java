package io.keel.broker.delivery;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The payloads of the broker's system records in the CommitLog: the delivery state of every
 * subscription, replayed at start. The record's {@code systemType} is one of the type constants.
 *
 * <pre>
 *  SUBSCRIPTION (create):
 *   0               8    9    10   11                                                       ...
 *   +---------------+----+----+----+------------+------------------+------------+-----------+
 *   | subscriptionId|kind|type|noL | dest (s)   | subscription (s) | clientId(s)| selector(s)|
 *   +---------------+----+----+----+------------+------------------+------------+-----------+
 *   then count (int) and count x startOffset (long): where each store queue starts (-1 = its floor)
 *  SUBSCRIPTION_DELETE:  subscriptionId (long)
 *  DELIVERED, SETTLED, RELEASED:
 *   +---------------+-------+---------------------------------------------------------------+
 *   | subscriptionId| count | count x ( storeQueueId int | offset long | value long )        |
 *   +---------------+-------+---------------------------------------------------------------+
 *   value: DELIVERED = delivery count; SETTLED = reason ({@link #SETTLED_ACK}, {@link
 *   #SETTLED_DEAD_LETTER}, {@link #SETTLED_EXPIRED}); RELEASED = redelivery time (epoch ms).
 *  (s) = int byte length (-1 for null) then UTF-8.
 * </pre>
 */
public final class StateRecord {

    public static final int SUBSCRIPTION = 0x5301;
    public static final int SUBSCRIPTION_DELETE = 0x5302;
    public static final int DELIVERED = 0x5303;
    public static final int SETTLED = 0x5304;
    public static final int RELEASED = 0x5305;

    public static final long SETTLED_ACK = 0;
    public static final long SETTLED_DEAD_LETTER = 1;
    public static final long SETTLED_EXPIRED = 2;

    public static final int ENTRY_SIZE = 20;

    private StateRecord() {
    }

    /** Whether a system record type belongs to the delivery state. */
    public static boolean isStateRecord(int systemType) {
        return systemType >= SUBSCRIPTION && systemType <= RELEASED;
    }

    public static ByteBuffer subscription(SubscriptionSpec s) {
        byte[] dest = utf8(s.destination().name());
        byte[] name = utf8(s.name());
        byte[] client = utf8(s.clientId());
        byte[] selector = utf8(s.selector());
        long[] starts = s.startOffsets() == null ? new long[0] : s.startOffsets();
        ByteBuffer b = ByteBuffer.allocate(11 + 16 + len(dest) + len(name) + len(client) + len(selector) + 4
                + 8 * starts.length);
        b.putLong(s.id()).put((byte) s.kind().ordinal()).put(s.destination().type().code()).put((byte) (s.noLocal() ? 1 : 0));
        put(b, dest);
        put(b, name);
        put(b, client);
        put(b, selector);
        b.putInt(starts.length);
        for (long o : starts) {
            b.putLong(o);
        }
        return b.flip();
    }

    public static SubscriptionSpec readSubscription(ByteBuffer b) {
        long id = b.getLong();
        SubscriptionSpec.Kind kind = SubscriptionSpec.Kind.values()[b.get()];
        io.keel.protocol.DestinationType type = io.keel.protocol.DestinationType.of(b.get());
        boolean noLocal = b.get() != 0;
        String dest = get(b);
        String name = get(b);
        String client = get(b);
        String selector = get(b);
        long[] starts = new long[b.getInt()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = b.getLong();
        }
        return new SubscriptionSpec(id, kind, new io.keel.broker.destination.DestinationId(type, dest), name, client,
                selector, noLocal, starts);
    }

    /** A batch of (storeQueueId, offset, value) entries; write with {@link Entries#add}. */
    public static final class Entries {
        private final ByteBuffer buffer;
        /** What {@link #payload()} returns: a second view of the buffer, so a reused Entries allocates nothing. */
        private final ByteBuffer payload;
        private int count;

        public Entries(long subscriptionId, int capacity) {
            buffer = ByteBuffer.allocate(12 + capacity * ENTRY_SIZE);
            payload = buffer.duplicate();
            buffer.putLong(subscriptionId).putInt(0);
        }

        /** Empties this for reuse by {@code subscriptionId}. */
        public Entries reset(long subscriptionId) {
            buffer.clear();
            buffer.putLong(subscriptionId).putInt(0);
            count = 0;
            return this;
        }

        public Entries add(int storeQueueId, long offset, long value) {
            buffer.putInt(storeQueueId).putLong(offset).putLong(value);
            count++;
            return this;
        }

        public int count() {
            return count;
        }

        /** The record payload so far (the same buffer each time; valid until the next add or reset). */
        public ByteBuffer payload() {
            buffer.putInt(8, count);
            payload.limit(buffer.position()).position(0);
            return payload;
        }
    }

    private static int len(byte[] b) {
        return b == null ? 0 : b.length;
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static void put(ByteBuffer b, byte[] s) {
        if (s == null) {
            b.putInt(-1);
        } else {
            b.putInt(s.length).put(s);
        }
    }

    private static String get(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0) {
            return null;
        }
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
