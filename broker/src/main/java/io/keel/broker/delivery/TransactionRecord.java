package io.keel.broker.delivery;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.keel.store.QueueKey;

/**
 * The commit record of a local transaction: a system record ({@link #COMMIT}) that is the commit
 * decision. It lists the prepared bodies the transaction made visible and the messages it
 * acknowledged, so that replay applies both (and re-appends forwarding records a crash cut off).
 *
 * <pre>
 *  0               8               16          20
 *  +---------------+---------------+-----------+--------------------------------------------+
 *  | holder        | origin        | keyCount  | keyCount x ( destination (s) | queueId int ) |
 *  +---------------+---------------+-----------+--------------------------------------------+
 *  +-----------+---------------------------------------------------------------------------+
 *  | sendCount | sendCount x ( key index int | bodyOffset long | bodySize int |             |
 *  |           |               deliveryTime long )                     24 bytes each        |
 *  +-----------+---------------------------------------------------------------------------+
 *  +-----------+---------------------------------------------------------------------------+
 *  | ackCount  | ackCount x ( subscriptionId long | storeQueueId int | offset long ) 20 each |
 *  +-----------+---------------------------------------------------------------------------+
 *  holder: the broker-wide id of the transaction (for logs); origin: the tag code of its forwarding
 *  records (noLocal); (s) = int byte length then UTF-8; deliveryTime 0 = none.
 * </pre>
 */
public final class TransactionRecord {

    public static final int COMMIT = 0x5306;

    private static final int SEND_SIZE = 24;
    private static final int ACK_SIZE = 20;

    /** A decoded commit record. */
    public record Commit(long holder, long origin, List<Send> sends, List<Ack> acks) {
    }

    public record Send(QueueKey key, long bodyOffset, int bodySize, long deliveryTime) {
    }

    public record Ack(long subscriptionId, int storeQueueId, long offset) {
    }

    private TransactionRecord() {
    }

    public static ByteBuffer commit(Transaction t) {
        Map<QueueKey, Integer> index = new HashMap<>();
        List<byte[]> names = new ArrayList<>();
        List<QueueKey> keys = new ArrayList<>();
        int keyBytes = 0;
        for (Transaction.PreparedSend s : t.sends()) {
            if (index.putIfAbsent(s.key(), keys.size()) == null) {
                byte[] name = s.key().destination().getBytes(StandardCharsets.UTF_8);
                names.add(name);
                keys.add(s.key());
                keyBytes += 8 + name.length;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(20 + keyBytes + 4 + t.sends().size() * SEND_SIZE + 4
                + t.held().size() * ACK_SIZE);
        b.putLong(t.holder()).putLong(t.origin()).putInt(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            b.putInt(names.get(i).length).put(names.get(i)).putInt(keys.get(i).queueId());
        }
        b.putInt(t.sends().size());
        for (Transaction.PreparedSend s : t.sends()) {
            b.putInt(index.get(s.key())).putLong(s.bodyOffset()).putInt(s.bodySize()).putLong(s.deliveryTime());
        }
        b.putInt(t.held().size());
        for (Transaction.HeldMessage m : t.held()) {
            b.putLong(m.subscription().spec().id()).putInt(m.storeQueueId()).putLong(m.offset());
        }
        return b.flip();
    }

    /** Decodes a commit record; throws IllegalArgumentException if it is malformed. */
    public static Commit read(ByteBuffer b) {
        try {
            long holder = b.getLong();
            long origin = b.getLong();
            int keyCount = count(b, 8);
            QueueKey[] keys = new QueueKey[keyCount];
            for (int i = 0; i < keyCount; i++) {
                byte[] name = new byte[count(b, 1)];
                b.get(name);
                keys[i] = new QueueKey(new String(name, StandardCharsets.UTF_8), b.getInt());
            }
            int sendCount = count(b, SEND_SIZE);
            List<Send> sends = new ArrayList<>(sendCount);
            for (int i = 0; i < sendCount; i++) {
                int k = b.getInt();
                if (k < 0 || k >= keyCount) {
                    throw new IllegalArgumentException("key index " + k + " of " + keyCount);
                }
                sends.add(new Send(keys[k], b.getLong(), b.getInt(), b.getLong()));
            }
            int ackCount = count(b, ACK_SIZE);
            List<Ack> acks = new ArrayList<>(ackCount);
            for (int i = 0; i < ackCount; i++) {
                acks.add(new Ack(b.getLong(), b.getInt(), b.getLong()));
            }
            return new Commit(holder, origin, sends, acks);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("transaction commit record is truncated", e);
        }
    }

    private static int count(ByteBuffer b, int minBytesEach) {
        int n = b.getInt();
        if (n < 0 || (long) n * minBytesEach > b.remaining()) {
            throw new IllegalArgumentException("count " + n + " does not fit the " + b.remaining() + " bytes left");
        }
        return n;
    }
}
