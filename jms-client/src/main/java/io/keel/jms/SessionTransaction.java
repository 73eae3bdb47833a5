package io.keel.jms;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.TxnCommand;
import io.keel.protocol.frame.Frame;
import jakarta.jms.JMSException;
import jakarta.jms.TransactionRolledBackException;

/**
 * The local transaction of a transacted session: its id on the broker, the answers of its sends
 * (checked at commit), and the broker connection it lives on. A transaction lives and dies with one
 * broker connection: the broker rolls it back when that connection is lost, so after a failover its
 * commit must fail, even if the commit itself would reach the new connection. Hence the generation
 * of the connection its first work went to is kept, and a commit on any other one is refused.
 * Commit, rollback and the XA hand-over send everything to that one connection.
 */
final class SessionTransaction {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTransaction.class);

    static final String LOST = "the connection to the broker was lost during the transaction, which the broker rolled "
            + "back (its sends are discarded and its received messages will be redelivered)";

    /** What a commit or rollback takes over: the transaction's id, its send answers, and why it cannot commit (or null). */
    record Ending(long id, List<CompletableFuture<?>> sends, String lost) {
    }

    private final KeelConnection connection;
    private final Acknowledgements acks;
    private long id;
    /** Generation of the broker connection the transaction's work went to; -1 while it has none. */
    private int generation = -1;
    private String lost;
    private final List<CompletableFuture<?>> sends = new ArrayList<>();

    SessionTransaction(KeelConnection connection, Acknowledgements acks) {
        this.connection = connection;
        this.acks = acks;
        this.id = connection.nextId();
    }

    synchronized long id() {
        return id;
    }

    /** Work (a send, a received message) joined the transaction on connection {@code linkGeneration}. */
    synchronized void joined(int linkGeneration) {
        if (generation < 0) {
            generation = linkGeneration;
        } else if (generation != linkGeneration && lost == null) {
            lost = LOST;
        }
    }

    synchronized void send(CompletableFuture<?> answer, int linkGeneration) {
        sends.add(answer);
        joined(linkGeneration);
    }

    /** The broker connection was lost: a transaction with work can only roll back now. */
    synchronized void interrupted() {
        if (generation >= 0 && lost == null) {
            lost = LOST;
        }
    }

    /**
     * Ends the transaction for a commit or rollback that will talk to connection {@code linkGeneration}
     * and starts the next one; {@link Ending#lost} says why a commit must fail instead.
     */
    synchronized Ending end(int linkGeneration) {
        String why = lost != null ? lost : generation >= 0 && generation != linkGeneration ? LOST : null;
        Ending e = new Ending(id, new ArrayList<>(sends), why);
        sends.clear();
        id = connection.nextId();
        generation = -1;
        lost = null;
        return e;
    }

    /**
     * Commits: waits for the answers of the transaction's sends, acknowledges what it received into
     * it, and sends TXN_COMMIT, all to the broker connection the transaction lives on.
     */
    void commit() throws JMSException {
        KeelConnection.Link link = connection.link();
        List<Acknowledgements.Delivered> received = acks.takeAll();
        Ending ending = end(link.generation());
        if (ending.lost() != null) {
            releaseAnswers(ending.sends());
            throw new TransactionRolledBackException("commit: " + ending.lost(), "CONNECTION_LOST");
        }
        JMSException sendFailure = awaitSends(ending.sends());
        if (sendFailure != null) {
            rollbackQuietly(ending.id(), received, link.client());
            TransactionRolledBackException e = new TransactionRolledBackException("CONNECTION_LOST".equals(
                    sendFailure.getErrorCode()) ? "commit: " + LOST : "the transaction was rolled back: a send of it "
                    + "failed: " + sendFailure.getMessage(), sendFailure.getErrorCode());
            e.setLinkedException(sendFailure);
            throw e;
        }
        try {
            acks.settle(received, CommandCode.TXN_ACK, "acknowledge in the transaction", ending.id(), link.client());
            JmsErrors.await(link.client().request(x -> TxnCommand.frame(link.client().channel().alloc(),
                    CommandCode.TXN_COMMIT, x, ending.id())), connection.config().sendTimeoutMillis(), "commit");
        } catch (JMSException e) {
            if (!"CONNECTION_LOST".equals(e.getErrorCode()) || e instanceof TransactionRolledBackException) {
                throw e;
            }
            // In doubt: the commit may or may not have reached the broker. Reported as rolled back (the
            // specification's exception for a failed commit); if it did commit, the received messages
            // are not redelivered and the sent ones are delivered once.
            TransactionRolledBackException r = new TransactionRolledBackException("commit: the connection to the broker"
                    + " was lost before the outcome arrived; the transaction is treated as rolled back", "CONNECTION_LOST");
            r.setLinkedException(e);
            throw r;
        }
    }

    /** What a rollback does with the received messages of the session's consumers. */
    interface Recovery {
        void recover(List<Acknowledgements.Delivered> received) throws JMSException;
    }

    /**
     * Rolls back: the received messages of open consumers go back for redelivery through
     * {@code consumers} (their prefetched ones too, uncounted), those of closed consumers with the
     * broker transaction, and the broker drops the prepared sends.
     */
    void rollback(Recovery consumers) throws JMSException {
        KeelConnection.Link link = connection.link();
        List<Acknowledgements.Delivered> received = acks.takeAll();
        Ending ending = end(link.generation());
        releaseAnswers(ending.sends());
        if (ending.lost() != null) {
            return; // the broker rolled it back with the lost connection; its messages come back by themselves
        }
        consumers.recover(received);
        JmsErrors.await(link.client().request(x -> TxnCommand.frame(link.client().channel().alloc(),
                CommandCode.TXN_ROLLBACK, x, ending.id())), connection.config().sendTimeoutMillis(), "rollback");
    }

    /**
     * XA end: the work so far joins broker transaction {@code branchTransaction} (sends confirmed,
     * deliveries TXN_ACKed), so the branch can be completed by that id alone. Returns why the branch
     * must roll back (a failed send, or its broker connection was lost), or null.
     */
    JMSException handOver(long branchTransaction) throws JMSException {
        KeelConnection.Link link = connection.link();
        List<Acknowledgements.Delivered> received = acks.takeAll();
        Ending ending = end(link.generation());
        if (ending.lost() != null) {
            releaseAnswers(ending.sends());
            return new JMSException(ending.lost(), "CONNECTION_LOST");
        }
        JMSException sendFailure = awaitSends(ending.sends());
        acks.settle(received, CommandCode.TXN_ACK, "acknowledge in the XA transaction branch", branchTransaction,
                link.client());
        return sendFailure;
    }

    /** After a failed commit: the broker rolls the transaction back and gets its received messages back. */
    private void rollbackQuietly(long txn, List<Acknowledgements.Delivered> received, ProtocolClient client) {
        try {
            acks.settle(received, CommandCode.RELEASE, "return the messages of the rolled-back transaction", 0, client);
            JmsErrors.await(client.request(x -> TxnCommand.frame(client.channel().alloc(), CommandCode.TXN_ROLLBACK, x,
                    txn)), connection.config().sendTimeoutMillis(), "rollback");
        } catch (JMSException e) {
            LOG.debug("rollback after a failed send: {}", e.toString());
        }
    }

    /** Waits for the answers of a transaction's sends; returns the first failure, or null. */
    private JMSException awaitSends(List<CompletableFuture<?>> answers) throws JMSException {
        JMSException sendFailure = null;
        for (CompletableFuture<?> f : answers) {
            try {
                Object answer = f.get(connection.config().sendTimeoutMillis(), TimeUnit.MILLISECONDS);
                if (answer instanceof Frame frame) {
                    frame.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JMSException("waiting for the sends of the transaction: interrupted");
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                sendFailure = sendFailure == null ? JmsErrors.of("send in the transaction", e) : sendFailure;
            }
        }
        return sendFailure;
    }

    private static void releaseAnswers(List<CompletableFuture<?>> answers) {
        for (CompletableFuture<?> f : answers) {
            f.thenAccept(answer -> {
                if (answer instanceof Frame frame) {
                    frame.release();
                }
            });
        }
    }
}
