package io.keel.broker.transport;

import java.util.Map;

import io.keel.broker.delivery.DeliveryEngine;
import io.keel.broker.delivery.LocalTransactions;
import io.keel.broker.delivery.SubscriptionConsumer;
import io.keel.broker.delivery.Transaction;
import io.keel.broker.delivery.TransactionCoordinator;
import io.keel.protocol.command.Ack;
import io.keel.protocol.command.AdminCommands;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.ErrorCode;
import io.keel.protocol.command.ErrorReply;
import io.keel.protocol.command.TxnCommand;
import io.keel.protocol.frame.Frame;
import io.keel.protocol.frame.FrameLayout;
import io.keel.store.StoreException;
import io.netty.channel.Channel;

/**
 * TXN_ACK, TXN_COMMIT and TXN_ROLLBACK of one connection (its event loop). The sends of a
 * transaction arrive as SENDs naming it; see {@link io.keel.broker.produce.SendHandler}.
 */
final class TransactionCommands {

    private final Channel channel;
    private final LocalTransactions open;
    private final TransactionCoordinator coordinator;
    private final Map<Long, SubscriptionConsumer> consumers;
    private final Ack ack = new Ack();

    TransactionCommands(Channel channel, DeliveryEngine engine, LocalTransactions open,
            Map<Long, SubscriptionConsumer> consumers) {
        this.channel = channel;
        this.open = open;
        this.coordinator = engine.transactions();
        this.consumers = consumers;
    }

    void onAck(Frame frame) {
        long id = TxnCommand.decodeAck(frame.body(), ack);
        if (id == 0) {
            error(frame, ErrorCode.INVALID_REQUEST, "transaction id 0 means no transaction; use ACK");
            return;
        }
        SubscriptionConsumer c = consumers.get(ack.consumerId);
        if (c == null) {
            error(frame, ErrorCode.INVALID_REQUEST, "consumer " + ack.consumerId + " is not open on this connection");
            return;
        }
        String full = coordinator.acknowledgeInTransaction(c, open.begin(id), ack.queueIds, ack.queueOffsets, ack.count);
        if (full != null) {
            error(frame, ErrorCode.INVALID_REQUEST, full);
            return;
        }
        ok(frame);
    }

    void onCommit(Frame frame) {
        long id = TxnCommand.decodeTransactionId(frame.body(), "transaction commit");
        Transaction t = open.end(id);
        if (t == null) {
            ok(frame); // nothing was sent or acknowledged in it: an empty transaction commits trivially
            return;
        }
        int correlationId = frame.correlationId();
        coordinator.commit(t, new TransactionCoordinator.CommitOutcome() {
            @Override
            public void committed() {
                write(AdminCommands.empty(channel.alloc(), CommandCode.TXN_COMMIT, FrameLayout.FLAG_RESPONSE, correlationId));
            }

            @Override
            public void rolledBack(String reason) {
                write(ErrorReply.frame(channel.alloc(), CommandCode.TXN_COMMIT, correlationId,
                        ErrorCode.TRANSACTION_ROLLED_BACK, "transaction " + id + " was rolled back: " + reason));
            }

            @Override
            public void failed(StoreException error) {
                write(ErrorReply.frame(channel.alloc(), CommandCode.TXN_COMMIT, correlationId, ErrorCode.INTERNAL,
                        "commit of transaction " + id + " not recorded, its outcome is unknown: " + error.getMessage()));
            }
        });
    }

    void onRollback(Frame frame) {
        long id = TxnCommand.decodeTransactionId(frame.body(), "transaction rollback");
        Transaction t = open.end(id);
        if (t != null) {
            coordinator.rollback(t);
        }
        ok(frame);
    }

    private void ok(Frame frame) {
        write(AdminCommands.empty(channel.alloc(), frame.command(), FrameLayout.FLAG_RESPONSE, frame.correlationId()));
    }

    private void error(Frame frame, ErrorCode code, String message) {
        write(ErrorReply.frame(channel.alloc(), frame.command(), frame.correlationId(), code, message));
    }

    private void write(io.netty.buffer.ByteBuf b) {
        if (channel.isActive()) {
            channel.writeAndFlush(b, channel.voidPromise());
        } else {
            b.release();
        }
    }
}
