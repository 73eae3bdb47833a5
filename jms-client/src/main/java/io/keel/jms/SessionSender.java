package io.keel.jms;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

import io.keel.jms.destination.KeelDestination;
import io.keel.protocol.client.ConnectionLost;
import io.keel.protocol.client.RemoteError;
import io.keel.protocol.command.ErrorCode;
import io.keel.protocol.command.SendCommand;
import io.keel.protocol.frame.Frame;
import io.netty.buffer.Unpooled;
import jakarta.jms.JMSException;

/**
 * The sends of one session, for all its producers: numbered in one sequence under one id, so the
 * broker keeps them in send order (it picks a destination's queue id from the id: the specification
 * orders messages per session, not per producer) and recognises a resend after a failover (the id is
 * unique and the sequence grows, so it stores a (id, sequence) once).
 *
 * <p>A send outside a transaction stays here until the broker confirms it ({@link PendingSend}); when
 * the connection breaks it waits, and after the reconnection every unconfirmed send goes out again
 * on the new connection, oldest first and before anything newer (whichever comes first: the
 * reconnection's {@link #resume} or the session's next send). Sends of a transaction are not kept:
 * a transaction dies with its connection.
 */
final class SessionSender {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SessionSender.class);

    /** Unique ids: a random base per JVM (so two JVMs do not collide), then counted. */
    private static final AtomicLong IDS = new AtomicLong(new java.security.SecureRandom().nextLong() & 0x7FFF_FFFF_0000_0000L);

    /** One send: what it carries, and the answer the application waits for (across reconnections). */
    static final class PendingSend {
        final KeelDestination to;
        final long sequence;
        final boolean persistent;
        final int priority;
        final long deliveryTime;
        final long transactionId;
        final byte[] bytes;
        final CompletableFuture<Frame> result = new CompletableFuture<>();
        /** The generation of the connection the latest attempt went to. */
        int generation;
        /** The request of the latest attempt: answers of earlier attempts are ignored. */
        CompletableFuture<Frame> attempt;

        PendingSend(KeelDestination to, long sequence, boolean persistent, int priority, long deliveryTime,
                long transactionId, byte[] bytes) {
            this.to = to;
            this.sequence = sequence;
            this.persistent = persistent;
            this.priority = priority;
            this.deliveryTime = deliveryTime;
            this.transactionId = transactionId;
            this.bytes = bytes;
        }
    }

    /** What a producer's send needs before it is encoded: its sequence number and message id. */
    interface Encoder {
        PendingSend encode(long id, long sequence) throws JMSException;
    }

    private final KeelConnection connection;
    private final long id = IDS.incrementAndGet();
    private final SendCommand command = new SendCommand();
    private long sequence;
    private final ArrayDeque<PendingSend> pending = new ArrayDeque<>();
    /** The connection generation the pending sends were last sent on. */
    private int sentGeneration;

    SessionSender(KeelConnection connection) {
        this.connection = connection;
        this.sentGeneration = connection.link().generation();
    }

    long id() {
        return id;
    }

    /**
     * Numbers, encodes (through {@code encoder}, which sets the message id from this sender's id and
     * the sequence) and sends one message; returns it with its answer.
     */
    synchronized PendingSend send(Encoder encoder) throws JMSException {
        PendingSend p = encoder.encode(id, sequence + 1);
        sequence++;
        KeelConnection.Link link = connection.link();
        if (link.generation() != sentGeneration) {
            resendPending(link); // a reconnection happened: older unconfirmed sends go first
        }
        if (p.transactionId == 0) {
            pending.add(p);
        }
        issue(p, link);
        return p;
    }

    /** Sends {@code p} on {@code link} (holding the monitor, so sends leave in sequence order). */
    private void issue(PendingSend p, KeelConnection.Link link) {
        command.destinationType = p.to.type();
        command.destination = p.to.name();
        command.queueId = -1;
        command.producerId = id;
        command.sequence = p.sequence;
        command.flags = (p.persistent ? SendCommand.FLAG_PERSISTENT : 0)
                | (p.transactionId == 0 ? SendCommand.FLAG_IDEMPOTENT : 0);
        command.priority(p.priority);
        command.deliveryTime = p.deliveryTime;
        command.transactionId = p.transactionId;
        command.message = Unpooled.wrappedBuffer(p.bytes);
        p.generation = link.generation();
        CompletableFuture<Frame> attempt = link.client().request(x -> command.frame(link.client().channel().alloc(), x));
        p.attempt = attempt;
        attempt.whenComplete((frame, error) -> answered(p, attempt, frame, error));
    }

    private void answered(PendingSend p, CompletableFuture<Frame> attempt, Frame frame, Throwable error) {
        synchronized (this) {
            if (p.attempt != attempt) {
                if (frame != null) {
                    frame.release(); // a late answer of an attempt already superseded
                }
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (p.transactionId == 0 && connection.willReconnect() && (cause instanceof ConnectionLost
                    || cause instanceof RemoteError r && r.code() == ErrorCode.SHUTTING_DOWN)) {
                return; // stays pending: sent again once the connection (to this broker restarted, or another) is back
            }
            pending.remove(p);
        }
        if (error == null) {
            p.result.complete(frame);
        } else {
            p.result.completeExceptionally(error);
        }
    }

    private void resendPending(KeelConnection.Link link) {
        sentGeneration = link.generation();
        for (PendingSend p : pending) {
            issue(p, link);
        }
    }

    /** Non-persistent sends not waited for, oldest first (the session's thread only). */
    private final ArrayDeque<CompletableFuture<Frame>> unawaited = new ArrayDeque<>();
    /** The first failure of a send not waited for, thrown by the session's next send. */
    private volatile JMSException unawaitedFailure;

    /**
     * A non-persistent send the application does not wait for (as a provider may: such a message may
     * be lost anyway). At most {@code nonPersistentWindow} are outstanding: beyond that the oldest is
     * waited for, so a slow broker slows the producer instead of filling memory. A failure is thrown
     * by the next send of the session (and logged).
     */
    void unawaited(CompletableFuture<Frame> answer, String what) throws JMSException {
        answer.whenComplete((f, e) -> {
            if (f != null) {
                f.release();
            } else if (unawaitedFailure == null) {
                unawaitedFailure = JmsErrors.of(what + " (a non-persistent send not waited for)", e);
                LOG.warn("{} failed: {}", what, e.toString());
            }
        });
        unawaited.add(answer);
        while (!unawaited.isEmpty() && unawaited.peek().isDone()) {
            unawaited.poll();
        }
        if (unawaited.size() > connection.config().nonPersistentWindow()) {
            CompletableFuture<Frame> oldest = unawaited.poll();
            ConnectionConfig c = connection.config();
            try {
                oldest.handle((f, e) -> null).get(c.sendTimeoutMillis() + (c.reconnects() ? c.reconnectTimeoutMillis() : 0),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JMSException(what + ": interrupted while waiting for earlier non-persistent sends");
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw JmsErrors.of(what + ": waiting for earlier non-persistent sends", e);
            }
        }
        throwUnawaitedFailure();
    }

    /** Waits (bounded) until every non-persistent send not waited for has its answer (session close). */
    void awaitUnawaited() {
        CompletableFuture<?>[] all = unawaited.toArray(new CompletableFuture<?>[0]);
        unawaited.clear();
        try {
            CompletableFuture.allOf(all).handle((v, e) -> null).get(connection.config().sendTimeoutMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("non-persistent sends still unanswered at close: {}", e.toString());
        }
    }

    /** Throws (once) the failure of an earlier non-persistent send that was not waited for. */
    void throwUnawaitedFailure() throws JMSException {
        JMSException e = unawaitedFailure;
        if (e != null) {
            unawaitedFailure = null;
            throw e;
        }
    }

    /** After a reconnection (the reconnecting thread): resend what was not confirmed, unless a send did already. */
    synchronized void resume(KeelConnection.Link link) {
        if (sentGeneration != link.generation()) {
            resendPending(link);
        }
    }

    /** The reconnection gave up: every unconfirmed send fails with {@code e}. */
    void failPending(JMSException e) {
        List<PendingSend> failed;
        synchronized (this) {
            failed = new ArrayList<>(pending);
            pending.clear();
        }
        for (PendingSend p : failed) {
            p.result.completeExceptionally(e);
        }
    }
}
