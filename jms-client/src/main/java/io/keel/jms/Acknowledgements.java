package io.keel.jms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.Ack;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.TxnCommand;
import io.keel.protocol.frame.Frame;
import io.netty.buffer.ByteBuf;
import jakarta.jms.JMSException;

/**
 * The messages a session handed to the application and has not settled with the broker yet (CLIENT
 * acknowledge mode and transacted sessions), and the requests that settle them: ACK, RELEASE (back
 * for redelivery) and TXN_ACK (into a transaction). AUTO and DUPS_OK messages are settled one by one
 * as they are delivered, without being kept.
 */
final class Acknowledgements {

    /** A message the application got: which consumer, where it is stored. */
    record Delivered(KeelMessageConsumer consumer, int storeQueueId, long offset) {
    }

    private final KeelConnection connection;
    private final List<Delivered> unsettled = new ArrayList<>();

    Acknowledgements(KeelConnection connection) {
        this.connection = connection;
    }

    synchronized void keep(KeelMessageConsumer c, KeelMessageConsumer.Delivery d) {
        unsettled.add(new Delivered(c, d.storeQueueId(), d.offset()));
    }

    /** Takes every kept message out (to settle them). */
    synchronized List<Delivered> takeAll() {
        List<Delivered> out = new ArrayList<>(unsettled);
        unsettled.clear();
        return out;
    }

    /** Takes the kept messages of one consumer out. */
    synchronized List<Delivered> takeOf(KeelMessageConsumer c) {
        List<Delivered> mine = new ArrayList<>();
        unsettled.removeIf(d -> {
            if (d.consumer() == c) {
                mine.add(d);
                return true;
            }
            return false;
        });
        return mine;
    }

    /**
     * Acknowledges (ACK) or returns (RELEASE) one message now, without waiting. An ACK goes one-way: the
     * broker settles the message at once and records the acknowledgement with its next force, instead
     * of forcing it on its own (a consumer's acknowledgements used to double the forces of a lone
     * synchronous producer feeding it).
     */
    void settleOne(KeelMessageConsumer c, KeelMessageConsumer.Delivery d, short command) {
        Ack a = new Ack().clear(c.id()).add(d.storeQueueId(), d.offset());
        if (command == CommandCode.ACK) {
            connection.awaitReconnection(); // as request() does: the ACK goes to the current connection
            ProtocolClient client = connection.client();
            client.send(a.onewayFrame(client.channel().alloc()));
            return;
        }
        connection.request(id -> a.frame(connection.client().channel().alloc(), id, command))
                .whenComplete((f, e) -> {
                    if (f != null) {
                        f.release();
                    }
                });
    }

    /**
     * Sends ACK, RELEASE or TXN_ACK (of transaction {@code txn}) for {@code ds}, one request per
     * consumer, and waits for every answer. {@code pinned}: the broker connection a transaction's
     * requests must go to (never to a newer one); null = the current one, after any reconnection.
     */
    void settle(List<Delivered> ds, short command, String what, long txn, ProtocolClient pinned) throws JMSException {
        Map<KeelMessageConsumer, Ack> byConsumer = new LinkedHashMap<>();
        for (Delivered d : ds) {
            byConsumer.computeIfAbsent(d.consumer(), c -> new Ack().clear(c.id())).add(d.storeQueueId(), d.offset());
        }
        List<CompletableFuture<Frame>> answers = new ArrayList<>();
        for (Ack a : byConsumer.values()) {
            IntFunction<ByteBuf> frame = id -> command == CommandCode.TXN_ACK
                    ? TxnCommand.ackFrame(connection.client().channel().alloc(), id, txn, a)
                    : a.frame(connection.client().channel().alloc(), id, command);
            answers.add(pinned != null ? pinned.request(frame) : connection.request(frame));
        }
        for (CompletableFuture<Frame> f : answers) {
            JmsErrors.await(f, connection.config().sendTimeoutMillis(), what);
        }
    }

    /**
     * CLIENT_ACKNOWLEDGE keeps the messages of a consumer closed before {@code acknowledge()}: the
     * broker would return them when the consumer closes, so they are first moved (TXN_ACK) into a
     * broker transaction of their own, which {@code acknowledge()} commits and {@code recover()} or the
     * session's close rolls back. The transaction lives with the connection: after a failover it is
     * gone and its messages come again, marked redelivered.
     */
    final class OfClosedConsumers {
        private long transactionId;

        /** Moves a closing consumer's unacknowledged messages into the held transaction. */
        void keep(List<Delivered> ds) throws JMSException {
            if (ds.isEmpty()) {
                return;
            }
            long txn;
            synchronized (this) {
                if (transactionId == 0) {
                    transactionId = connection.nextId();
                }
                txn = transactionId;
            }
            settle(ds, CommandCode.TXN_ACK, "keep the closing consumer's unacknowledged messages", txn, null);
        }

        /** acknowledge(): they are acknowledged. */
        void commit() throws JMSException {
            end(CommandCode.TXN_COMMIT, "acknowledge the messages of closed consumers");
        }

        /** recover(), session close: they come back. */
        void rollback() throws JMSException {
            end(CommandCode.TXN_ROLLBACK, "return the messages of closed consumers");
        }

        /** The connection was lost: the broker rolled the transaction back. */
        synchronized void forget() {
            transactionId = 0;
        }

        private void end(short command, String what) throws JMSException {
            long txn;
            synchronized (this) {
                txn = transactionId;
                transactionId = 0;
            }
            if (txn != 0) {
                JmsErrors.await(connection.request(x -> TxnCommand.frame(connection.client().channel().alloc(), command, x,
                        txn)), connection.config().sendTimeoutMillis(), what);
            }
        }
    }
}
