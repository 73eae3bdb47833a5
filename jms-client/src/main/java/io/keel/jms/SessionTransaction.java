package io.keel.jms;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The local transaction of a transacted session: its id on the broker, the answers of its sends
 * (checked at commit), and the broker connection it lives on. A transaction lives and dies with one
 * broker connection: the broker rolls it back when that connection is lost, so after a failover its
 * commit must fail, even if the commit itself would reach the new connection. Hence the generation
 * of the connection its first work went to is kept, and a commit on any other one is refused.
 */
final class SessionTransaction {

    static final String LOST = "the connection to the broker was lost during the transaction, which the broker rolled "
            + "back (its sends are discarded and its received messages will be redelivered)";

    /** What a commit or rollback takes over: the transaction's id, its send answers, and why it cannot commit (or null). */
    record Ending(long id, List<CompletableFuture<?>> sends, String lost) {
    }

    private final KeelConnection connection;
    private long id;
    /** Generation of the broker connection the transaction's work went to; -1 while it has none. */
    private int generation = -1;
    private String lost;
    private final List<CompletableFuture<?>> sends = new ArrayList<>();

    SessionTransaction(KeelConnection connection) {
        this.connection = connection;
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
}
