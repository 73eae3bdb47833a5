package io.keel.protocol.command;

import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The bodies of the local-transaction commands. A transaction is named by an id the client chooses,
 * unique on its connection (a JMS client uses one per transacted session and moves to a new id after
 * each commit or rollback); it begins implicitly with its first SEND (whose {@code transactionId}
 * names it) or TXN_ACK. A connection that closes rolls back every transaction it left open.
 *
 * <pre>
 *  TXN_COMMIT, TXN_ROLLBACK:
 *  0               8
 *  +---------------+
 *  | transactionId |
 *  +---------------+
 *  TXN_ACK:
 *  0               8               16          20
 *  +---------------+---------------+-----------+-------------------------------------------+
 *  | transactionId | consumerId    | count     | count x ( queueId int | queueOffset long )|
 *  +---------------+---------------+-----------+-------------------------------------------+
 *  responses: empty body, or an error (TXN_COMMIT: TRANSACTION_ROLLED_BACK when a send of the
 *  transaction failed or the transaction is unknown; it is then rolled back).
 * </pre>
 */
public final class TxnCommand {

    private TxnCommand() {
    }

    /** A TXN_COMMIT or TXN_ROLLBACK request. */
    public static ByteBuf frame(ByteBufAllocator alloc, short command, int correlationId, long transactionId) {
        if (command != CommandCode.TXN_COMMIT && command != CommandCode.TXN_ROLLBACK) {
            throw new IllegalArgumentException(CommandCode.name(command) + " is not TXN_COMMIT or TXN_ROLLBACK");
        }
        ByteBuf b = FrameLayout.begin(alloc, 8, command, 0, correlationId);
        b.writeLong(transactionId);
        return FrameLayout.end(b);
    }

    /** A TXN_ACK request: the deliveries listed in {@code ack} join the transaction. */
    public static ByteBuf ackFrame(ByteBufAllocator alloc, int correlationId, long transactionId, Ack ack) {
        ByteBuf b = FrameLayout.begin(alloc, 20 + ack.count * 12, CommandCode.TXN_ACK, 0, correlationId);
        b.writeLong(transactionId);
        b.writeLong(ack.consumerId);
        b.writeInt(ack.count);
        for (int i = 0; i < ack.count; i++) {
            b.writeInt(ack.queueIds[i]);
            b.writeLong(ack.queueOffsets[i]);
        }
        return FrameLayout.end(b);
    }

    /** Reads the transaction id of a TXN_COMMIT or TXN_ROLLBACK body (the whole body). */
    public static long decodeTransactionId(ByteBuf body, String what) {
        Wire.need(body, 8, what);
        long id = body.readLong();
        Wire.end(body, what);
        return id;
    }

    /** Reads a TXN_ACK body: returns the transaction id and fills {@code into} with the rest. */
    public static long decodeAck(ByteBuf body, Ack into) {
        Wire.need(body, 8, "transaction ack");
        long id = body.readLong();
        into.decode(body);
        return id;
    }
}
