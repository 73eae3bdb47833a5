package io.keel.broker.delivery;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The delivery state snapshot file ({@code <dataDir>/broker/delivery.snapshot}): every persistent
 * subscription with its cursors, the delivery-delay timer and the cross-segment forwarding index, as
 * of a CommitLog offset. At start the engine loads it and replays only the log from that offset, and
 * retention may delete the log below it. The previous snapshot is kept as {@code delivery.snapshot.1}:
 * if the newest one is unreadable the broker falls back to it (retention never passes the older one).
 *
 * <pre>
 *  0       4       8               16              24          28
 *  +-------+-------+---------------+---------------+-----------+-----------------------------+
 *  | magic |version| coveredOffset | nextSubscrId  | subsCount | subsCount x subscription    |
 *  +-------+-------+---------------+---------------+-----------+-----------------------------+
 *  then: the delay timer ({@link DelayedDelivery#writeTo}), the forwarding index
 *  ({@link ForwardIndex#writeTo}), since version 2 the producer window
 *  ({@link io.keel.broker.produce.ProducerWindow#writeTo}), and a CRC32C (int) of every byte before it.
 *  subscription: specLength (int) | spec (the SUBSCRIPTION record payload of {@link StateRecord})
 *                | state ({@link Subscription#writeTo}: counters, then per cursor its store queue id,
 *                  settled bitmap, delivery horizon, delivery counts and waiting redeliveries)
 *  coveredOffset: every state change recorded below it is in the file; replay starts there.
 * </pre>
 */
public final class DeliverySnapshot {

    public static final int MAGIC = 0x4B445331; // "KDS1"
    public static final int VERSION = 2;
    /** Version 1 (no producer window) is still read. */
    static final int OLDEST_READABLE = 1;
    static final String FILE = "delivery.snapshot";
    static final String PREVIOUS = "delivery.snapshot.1";

    /** What a snapshot restores into: the engine's subscriptions, timer and forwarding index. */
    interface Target {
        /** A subscription of the snapshot; returns it if its destination still exists, else null (skipped). */
        Subscription restore(SubscriptionSpec spec);

        DelayedDelivery delays();

        ForwardIndex forwards();

        io.keel.broker.produce.ProducerWindow producers();
    }

    /** The state to write. */
    interface Source {
        Iterable<Subscription> persistentSubscriptions();

        DelayedDelivery delays();

        ForwardIndex forwards();

        io.keel.broker.produce.ProducerWindow producers();
    }

    private DeliverySnapshot() {
    }

    /**
     * Writes a snapshot covering everything below {@code coveredOffset}, atomically (temporary file,
     * force, rename); the one it replaces becomes the previous snapshot.
     */
    static void write(Path directory, long coveredOffset, long nextSubscriptionId, Source source) throws IOException {
        Files.createDirectories(directory);
        Path tmp = directory.resolve(FILE + ".tmp");
        CRC32C crc = new CRC32C();
        try (OutputStream file = Files.newOutputStream(tmp);
             DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(file, 1 << 16),
                     crc))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(coveredOffset);
            out.writeLong(nextSubscriptionId);
            java.util.List<Subscription> subs = new java.util.ArrayList<>();
            source.persistentSubscriptions().forEach(subs::add);
            out.writeInt(subs.size());
            for (Subscription s : subs) {
                ByteBuffer spec = StateRecord.subscription(s.spec());
                out.writeInt(spec.remaining());
                out.write(spec.array(), spec.arrayOffset() + spec.position(), spec.remaining());
                // Written to memory first: the subscription's lock is held only while its state is copied.
                ByteArrayOutputStream state = new ByteArrayOutputStream();
                s.writeTo(new DataOutputStream(state));
                state.writeTo(out);
            }
            source.delays().writeTo(out);
            source.forwards().writeTo(out);
            source.producers().writeTo(out);
            out.flush();
            int value = (int) crc.getValue();
            file.write(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Path current = directory.resolve(FILE);
        if (Files.exists(current)) {
            Files.move(current, directory.resolve(PREVIOUS), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, current, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException notSupported) {
            // Some file systems cannot force a directory; the rename is still atomic.
        }
    }

    /** The header of a snapshot file: its covered offset and next subscription id (for retention and start). */
    record Header(int version, long coveredOffset, long nextSubscriptionId) {
    }

    /**
     * Checks a snapshot file whole (magic, version, CRC) and returns its header, or throws IOException
     * saying what is wrong.
     */
    static Header check(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 28) {
            throw new IOException(file + " is truncated (" + all.length + " bytes)");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        ByteBuffer b = ByteBuffer.wrap(all);
        if (b.getInt(all.length - 4) != (int) crc.getValue()) {
            throw new IOException(file + " fails its CRC check");
        }
        if (b.getInt(0) != MAGIC || b.getInt(4) < OLDEST_READABLE || b.getInt(4) > VERSION) {
            throw new IOException(file + " is not a version " + OLDEST_READABLE + "-" + VERSION + " delivery snapshot");
        }
        return new Header(b.getInt(4), b.getLong(8), b.getLong(16));
    }

    /** Loads a checked snapshot into {@code target}; returns its header. */
    static Header load(Path file, Target target) throws IOException {
        Header h = check(file);
        try (InputStream f = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new CheckedInputStream(new BufferedInputStream(f, 1 << 16),
                     new CRC32C()))) {
            in.skipNBytes(24);
            int subs = in.readInt();
            for (int i = 0; i < subs; i++) {
                int length = in.readInt();
                if (length < 0 || length > 1 << 20) {
                    throw new IOException(file + ": subscription spec of " + length + " bytes");
                }
                byte[] spec = new byte[length];
                in.readFully(spec);
                Subscription s = target.restore(StateRecord.readSubscription(ByteBuffer.wrap(spec)));
                if (s != null) {
                    s.readFrom(in);
                } else {
                    Subscription.skip(in); // its destination was deleted since
                }
            }
            target.delays().readFrom(in);
            target.forwards().readFrom(in);
            if (h.version() >= 2) {
                target.producers().readFrom(in);
            }
        }
        return h;
    }
}
