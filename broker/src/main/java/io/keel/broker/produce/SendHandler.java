package io.keel.broker.produce;

import java.util.concurrent.atomic.AtomicInteger;

import io.keel.broker.destination.Destination;
import io.keel.broker.destination.DestinationRegistry;
import io.keel.broker.delivery.LocalTransactions;
import io.keel.broker.delivery.Transaction;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.ErrorCode;
import io.keel.protocol.command.ErrorReply;
import io.keel.protocol.command.SendCommand;
import io.keel.protocol.command.SendResult;
import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.Wire;
import io.keel.store.AppendCallback;
import io.keel.store.AppendRecord;
import io.keel.store.MessageStore;
import io.keel.store.PayloadSource;
import io.keel.store.StoreException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * The produce path of one connection (its event loop only): SEND and SEND_BATCH become store
 * appends of the message bytes as received. A producer without an explicit queue id sticks to one
 * queue id of the destination (its producer id modulo the queue count), so its messages stay in order.
 */
public final class SendHandler {

    /** A send refused before it reached the store. */
    public static final class Refused extends RuntimeException {
        final ErrorCode code;

        Refused(ErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private final MessageStore store;
    private final DestinationRegistry destinations;
    private final int maxMessageSize;
    private final Channel channel;
    private final SendCommand command = new SendCommand();
    /** The body of the SEND or SEND_BATCH frame being handled: {@link #command}'s message is in it. */
    private ByteBuf frameBody;
    /**
     * The destination of the previous send, reused while the next one names the same and no
     * destination was removed meanwhile: resolving made a DestinationId per send.
     */
    private Destination lastDestination;
    private String lastDestinationName;
    private io.keel.protocol.DestinationType lastDestinationType;
    private int lastRemovals;
    private final AppendRecord record = new AppendRecord();
    private long origin;

    private final io.keel.broker.delivery.DelayedDelivery delays;
    private final LocalTransactions transactions;
    /** The transaction of the entry being handled, or null. */
    private Transaction transaction;
    private final ProducerWindow producers;
    /** The producer this connection sent for last (most connections have one or a few), to skip the table lookup. */
    private long cachedProducerId;
    private ProducerWindow.Entry cachedProducer;
    /** Set when a read appended a persistent send that {@link #flushIfPending} must force. */
    private boolean flushPending;
    /** The broker's forceOnEventLoop: persistent sends leave their force to {@link #flushIfPending}. */
    private final boolean forceOnEventLoop;

    public SendHandler(MessageStore store, DestinationRegistry destinations, int maxMessageSize, Channel channel,
            io.keel.broker.delivery.DelayedDelivery delays, LocalTransactions transactions, ProducerWindow producers,
            boolean forceOnEventLoop) {
        this.forceOnEventLoop = forceOnEventLoop;
        this.producers = producers;
        this.delays = delays;
        this.transactions = transactions;
        this.store = store;
        this.destinations = destinations;
        this.maxMessageSize = maxMessageSize;
        this.channel = channel;
    }

    /** The origin stamped as the tag code of every message this connection publishes (for noLocal). */
    public void origin(long origin) {
        this.origin = origin;
    }

    public void onSend(ByteBuf body, int correlationId) {
        command.decodeEntryInPlace(body);
        frameBody = body;
        Wire.end(body, "send");
        try {
            Destination d = prepare();
            SendCallback answer = new SendCallback(channel, correlationId, queueIdOf(d), d, transaction == null);
            ProducerWindow.Entry p = idempotentProducer();
            if (p == null) {
                store.append(record, wrap(d, answer));
                return;
            }
            synchronized (p) {
                long previous = p.lastSequence();
                if (!ProducerWindow.admit(p, command.sequence, System.currentTimeMillis())) {
                    answerRepeat(new SendCallback(channel, correlationId, queueIdOf(d), d, false));
                    return;
                }
                store.append(record, wrap(d, answer.producer(p, command.sequence)));
                if (answer.hasFailed()) {
                    ProducerWindow.undo(p, command.sequence, previous);
                }
            }
        } catch (Refused r) {
            doomTransaction(r);
            channel.writeAndFlush(ErrorReply.frame(channel.alloc(), CommandCode.SEND, correlationId, r.code, r.getMessage()),
                    channel.voidPromise());
        }
    }

    public void onSendBatch(ByteBuf body, int correlationId) {
        int n = SendCommand.readBatchCount(body);
        BatchAnswer answer = new BatchAnswer(n, correlationId);
        frameBody = body;
        for (int i = 0; i < n; i++) {
            command.decodeEntryInPlace(body);
            try {
                Destination d = prepare();
                ProducerWindow.Entry p = idempotentProducer();
                if (p == null) {
                    store.append(record, wrap(d, answer.entry(i, queueIdOf(d), d, transaction == null)));
                    continue;
                }
                synchronized (p) {
                    long previous = p.lastSequence();
                    if (!ProducerWindow.admit(p, command.sequence, System.currentTimeMillis())) {
                        answerRepeat(answer.entry(i, queueIdOf(d), d, false));
                        continue;
                    }
                    store.append(record, wrap(d, answer.entry(i, queueIdOf(d), d, transaction == null)
                            .producer(p, command.sequence)));
                    if (answer.refused(i)) {
                        ProducerWindow.undo(p, command.sequence, previous);
                    }
                }
            } catch (Refused r) {
                doomTransaction(r);
                answer.refused(i, r.code, r.getMessage());
            }
        }
        Wire.end(body, "send batch");
    }

    /**
     * The duplicate-detection entry of the current send's producer, or null when the send is not
     * idempotent (no flag, producer id 0, or part of a transaction: a transaction lost with its
     * connection is rolled back, never resent).
     */
    private ProducerWindow.Entry idempotentProducer() {
        if (!command.idempotent() || transaction != null) {
            return null;
        }
        ProducerWindow.Entry p = cachedProducer;
        if (p == null || cachedProducerId != command.producerId || ProducerWindow.isForgotten(p)) {
            p = producers.entry(command.producerId);
            cachedProducer = p;
            cachedProducerId = command.producerId;
        }
        return p;
    }

    /**
     * A resent message the store already has: answered as stored once everything written so far is
     * durable (its first copy may still be waiting for the group commit), without storing it again.
     */
    private void answerRepeat(AppendCallback answer) {
        if (command.persistent()) {
            store.whenWritten(answer);
        } else {
            answer.appended(-1, -1, 0, 0);
        }
    }

    /** A refused send of a transaction: the transaction can only roll back (committing would lose the message). */
    private void doomTransaction(Refused r) {
        if (command.transactionId != 0) {
            transactions.begin(command.transactionId).markRollbackOnly("a send was refused: " + r.getMessage());
        }
    }

    /** The callback of the current entry: as is, or first handing a deferred message to the timer or a prepared one to its transaction. */
    private AppendCallback wrap(Destination d, AppendCallback answer) {
        if (transaction != null) {
            return preparedThen(transaction, d, answer);
        }
        return record.deferred() ? deferredThen(answer) : answer;
    }

    /**
     * For a message of a transaction: once stored (prepared, invisible, not forced: the commit's force
     * covers it), it joins the transaction; then the producer is answered. If it cannot be stored the
     * transaction can only roll back: committing without it would lose a message the client sent.
     */
    private AppendCallback preparedThen(Transaction t, Destination d, AppendCallback answer) {
        io.keel.store.QueueKey key = record.queueKey();
        long deliveryTime = command.deliveryTime;
        return new AppendCallback() {
            @Override
            public void appended(long physicalOffset, long queueOffset, int size, long storeTimestamp) {
                transactions.prepared(t, new Transaction.PreparedSend(d, key, physicalOffset, size, deliveryTime));
                answer.appended(physicalOffset, queueOffset, size, storeTimestamp);
            }

            @Override
            public void failed(StoreException error) {
                t.markRollbackOnly("a send to " + d.id() + " failed: " + error.getMessage());
                answer.failed(error);
            }
        };
    }

    /**
     * For a message with a delivery delay: once stored (deferred, invisible), hand it to the timer,
     * then answer the producer.
     */
    private AppendCallback deferredThen(AppendCallback answer) {
        long due = command.deliveryTime;
        io.keel.store.QueueKey key = record.queueKey();
        long tag = origin;
        int token = delays.storing();
        return new AppendCallback() {
            @Override
            public void appended(long physicalOffset, long queueOffset, int size, long storeTimestamp) {
                delays.stored(token, due, key, physicalOffset, size, tag);
                answer.appended(physicalOffset, queueOffset, size, storeTimestamp);
            }

            @Override
            public void failed(StoreException error) {
                delays.notStored(token);
                answer.failed(error);
            }
        };
    }

    private int queueIdOf(Destination d) {
        int queueId = command.queueId >= 0 ? command.queueId : (int) Math.floorMod(command.producerId, (long) d.queueCount());
        return Destination.storeQueueId(queueId, command.priority());
    }

    /**
     * The event loop, after each read: forces the persistent sends the read carried (on this thread
     * when forces are solitary, else through the flusher). Their answers wait for this call.
     */
    public void flushIfPending() {
        if (flushPending) {
            flushPending = false;
            store.flushHere();
        }
    }

    /** Resolves the destination and fills the reusable append record. */
    private Destination prepare() {
        transaction = null;
        int size = command.messageLength;
        if (size > maxMessageSize) {
            throw new Refused(ErrorCode.MESSAGE_TOO_LARGE, "a message of " + size + " bytes to " + command.destinationType
                    .name().toLowerCase(java.util.Locale.ROOT) + " '" + command.destination
                    + "' exceeds the broker's maximum message size of " + maxMessageSize + " bytes");
        }
        Destination d = lastDestination;
        int removals = destinations.removals();
        // decodeEntry keeps the same String while the destination does not change: the identity test is enough.
        if (d == null || command.destination != lastDestinationName || command.destinationType != lastDestinationType
                || removals != lastRemovals) {
            try {
                d = destinations.resolve(command.destinationType, command.destination);
            } catch (DestinationRegistry.DestinationException e) {
                throw new Refused(ErrorCode.INVALID_DESTINATION, e.getMessage());
            }
            lastDestination = d;
            lastDestinationName = command.destination;
            lastDestinationType = command.destinationType;
            lastRemovals = removals;
        }
        if (command.queueId >= d.queueCount()) {
            throw new Refused(ErrorCode.INVALID_REQUEST, "queue id " + command.queueId + " does not exist on " + d.id()
                    + " (it has " + d.queueCount() + ")");
        }
        Transaction t = null;
        if (command.transactionId != 0) {
            t = transactions.begin(command.transactionId);
            if (t.rollbackOnly() != null) {
                throw new Refused(ErrorCode.TRANSACTION_ROLLED_BACK, "transaction " + t.id() + " can only roll back: "
                        + t.rollbackOnly());
            }
            String full = t.refuseMore();
            if (full != null) {
                t.markRollbackOnly(full);
                throw new Refused(ErrorCode.INVALID_REQUEST, full);
            }
        }
        record.reset().message(d.key(queueIdOf(d)), messageBytes)
                .producer(command.producerId, command.sequence).deliveryTime(command.deliveryTime)
                .tagCode(origin);
        if (t == null) {
            // A persistent send is forced after the read that carried it (flushIfPending), with the
            // other sends of that read.
            boolean callerFlushes = forceOnEventLoop && command.persistent();
            record.awaitFlush(command.persistent()).callerFlushes(callerFlushes)
                    .deferred(command.deliveryTime > System.currentTimeMillis());
            flushPending |= callerFlushes;
        } else {
            // Invisible until the commit record; not forced on its own (the commit's force covers it);
            // never deferred here: the commit hands a delayed one to the timer.
            record.txnState(AppendRecord.TxnState.PREPARED).awaitFlush(false);
        }
        transaction = t;
        return d;
    }

    /**
     * The current entry's message bytes for the store, which has them copied during {@code append}
     * straight from the frame into the CommitLog segment ({@code ByteBuf.getBytes} into a direct
     * buffer allocates nothing; {@code nioBuffer()} made two ByteBuffer objects per message).
     */
    private final PayloadSource messageBytes = new PayloadSource() {
        @Override
        public int length() {
            return command.messageLength;
        }

        @Override
        public void copyTo(java.nio.ByteBuffer dst) {
            frameBody.getBytes(command.messageIndex, dst);
        }
    };

    /** Collects the outcome of every entry of a batch and answers once all are known. */
    private final class BatchAnswer {
        private final int correlationId;
        private final int[] queueIds;
        private final long[] offsets;
        private final long[] timestamps;
        private final ErrorCode[] errors;
        private final String[] messages;
        private final AtomicInteger remaining;

        BatchAnswer(int n, int correlationId) {
            this.correlationId = correlationId;
            this.queueIds = new int[n];
            this.offsets = new long[n];
            this.timestamps = new long[n];
            this.errors = new ErrorCode[n];
            this.messages = new String[n];
            this.remaining = new AtomicInteger(n);
            if (n == 0) {
                answer();
            }
        }

        Entry entry(int i, int queueId, Destination d, boolean visible) {
            return new Entry(i, queueId, d, visible);
        }

        /** The outcome of one entry of the batch. */
        final class Entry implements AppendCallback {
            private final int i;
            private final int queueId;
            private final Destination d;
            private final boolean visible;
            private ProducerWindow.Entry producer;
            private long sequence;
            private int token;

            Entry(int i, int queueId, Destination d, boolean visible) {
                this.i = i;
                this.queueId = queueId;
                this.d = d;
                this.visible = visible;
            }

            /** Tells {@code p}'s window entry when this send is stored (begins its append: {@link ProducerWindow#appending}). */
            Entry producer(ProducerWindow.Entry p, long seq) {
                this.producer = p;
                this.sequence = seq;
                this.token = ProducerWindow.appending(p);
                return this;
            }

            @Override
            public void appended(long physicalOffset, long queueOffset, int size, long storeTimestamp) {
                SendCallback.stored(producer, sequence, token, visible, d);
                queueIds[i] = queueId;
                offsets[i] = queueOffset;
                timestamps[i] = storeTimestamp;
                done();
            }

            @Override
            public void failed(StoreException error) {
                if (producer != null) {
                    ProducerWindow.notStored(producer, token);
                }
                refused(i, SendCallback.errorCode(error), "send to " + d.id() + " failed: " + error.getMessage());
            }
        }

        /** Whether entry {@code i} was refused (so far). */
        boolean refused(int i) {
            return errors[i] != null;
        }

        void refused(int i, ErrorCode code, String message) {
            errors[i] = code;
            messages[i] = message;
            done();
        }

        private void done() {
            if (remaining.decrementAndGet() == 0) {
                answer();
            }
        }

        private void answer() {
            if (!channel.isActive()) {
                return;
            }
            ByteBuf b = FrameLayout.begin(channel.alloc(), 4 + queueIds.length * 22, CommandCode.SEND_BATCH,
                    FrameLayout.FLAG_RESPONSE, correlationId);
            b.writeInt(queueIds.length);
            for (int i = 0; i < queueIds.length; i++) {
                if (errors[i] == null) {
                    SendResult.writeBatchOk(b, queueIds[i], offsets[i], timestamps[i]);
                } else {
                    SendResult.writeBatchError(b, errors[i], messages[i]);
                }
            }
            channel.writeAndFlush(FrameLayout.end(b), channel.voidPromise());
        }
    }
}
