package io.keel.broker.produce;

import io.keel.broker.destination.Destination;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.ErrorCode;
import io.keel.protocol.command.ErrorReply;
import io.keel.protocol.command.SendResult;
import io.keel.store.AppendCallback;
import io.keel.store.StoreException;
import io.netty.channel.Channel;

/**
 * Answers one SEND once the store has the message as durably as the flush mode and the message's
 * delivery mode require.
 */
final class SendCallback implements AppendCallback {

    private final Channel channel;
    private final int correlationId;
    private final int queueId;
    private final Destination destination;
    /** False for a prepared message of a transaction: it counts as enqueued when the transaction commits. */
    private final boolean visible;
    /** Set when the store refused or failed the append (read right after a synchronous refusal). */
    private volatile boolean failed;
    /** The idempotent producer of the send and its sequence, told when the append completes; or null. */
    private ProducerWindow.Entry producer;
    private long sequence;
    private int token;

    SendCallback(Channel channel, int correlationId, int queueId, Destination destination, boolean visible) {
        this.visible = visible;
        this.channel = channel;
        this.correlationId = correlationId;
        this.queueId = queueId;
        this.destination = destination;
    }

    /** Tells {@code producer}'s window entry when this send is stored (begins its append: {@link ProducerWindow#appending}). */
    SendCallback producer(ProducerWindow.Entry producer, long sequence) {
        this.producer = producer;
        this.sequence = sequence;
        this.token = ProducerWindow.appending(producer);
        return this;
    }

    /**
     * What every stored send does, single or in a batch: tells its idempotent producer's window (if
     * any) and counts the message on its destination if it is visible now (not in a transaction).
     */
    static void stored(ProducerWindow.Entry producer, long sequence, int token, boolean visible, Destination destination) {
        if (producer != null) {
            ProducerWindow.stored(producer, sequence, token);
        }
        if (visible) {
            destination.enqueued();
        }
    }

    @Override
    public void appended(long physicalOffset, long queueOffset, int size, long storeTimestamp) {
        stored(producer, sequence, token, visible, destination);
        if (channel.isActive()) {
            channel.writeAndFlush(SendResult.frame(channel.alloc(), correlationId, queueId, queueOffset, storeTimestamp),
                    channel.voidPromise());
        }
    }

    boolean hasFailed() {
        return failed;
    }

    @Override
    public void failed(StoreException error) {
        failed = true;
        if (producer != null) {
            ProducerWindow.notStored(producer, token);
        }
        if (channel.isActive()) {
            channel.writeAndFlush(ErrorReply.frame(channel.alloc(), CommandCode.SEND, correlationId, errorCode(error),
                    "send to " + destination.id() + " failed: " + error.getMessage()), channel.voidPromise());
        }
    }

    /** The wire error for a store failure. */
    static ErrorCode errorCode(StoreException e) {
        if (e instanceof StoreException.Full) {
            return ErrorCode.STORE_FULL;
        }
        if (e instanceof StoreException.RecordTooLarge) {
            return ErrorCode.MESSAGE_TOO_LARGE;
        }
        if (e instanceof StoreException.FlushTimeout) {
            return ErrorCode.TIMEOUT;
        }
        if (e instanceof StoreException.Closed) {
            return ErrorCode.SHUTTING_DOWN;
        }
        return ErrorCode.INTERNAL;
    }
}
