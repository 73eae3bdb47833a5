package io.keel.jms;

import java.util.concurrent.CompletableFuture;

import io.keel.jms.destination.KeelDestination;
import io.keel.jms.message.KeelMessage;
import io.keel.protocol.frame.Frame;
import io.keel.protocol.message.MessageCodec;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.Queue;
import jakarta.jms.QueueSender;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;

/**
 * A JMS producer. A send sets the message's headers, encodes it once and waits for the broker's
 * answer (a persistent message is then durable); in a transacted session the answer is collected at
 * commit. With a CompletionListener the send returns at once and the listener is called on the
 * session thread, in send order. The producer sticks to one queue id of each destination (the
 * broker picks it from the producer id), so its messages stay in order.
 *
 * <p>Sends are numbered and kept until confirmed by the session's {@link SessionSender}, which also
 * resends them after a failover (the broker stores each once).
 */
public class KeelMessageProducer implements QueueSender, TopicPublisher {

    private final KeelSession session;
    private final KeelDestination destination;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLive = Message.DEFAULT_TIME_TO_LIVE;
    private long deliveryDelay = Message.DEFAULT_DELIVERY_DELAY;
    private boolean disableMessageId;
    private boolean disableTimestamp;
    private volatile boolean closed;
    /** Completion of the last asynchronous send's callback: the next callback runs after it. */
    private CompletableFuture<Void> lastCallback = CompletableFuture.completedFuture(null);

    KeelMessageProducer(KeelSession session, KeelDestination destination) {
        this.session = session;
        this.destination = destination;
    }

    private void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the producer is closed");
        }
        session.checkOpen();
    }

    // ---- settings ----------------------------------------------------------------------------------

    @Override
    public void setDisableMessageID(boolean value) throws JMSException {
        checkOpen();
        disableMessageId = value;
    }

    @Override
    public boolean getDisableMessageID() throws JMSException {
        checkOpen();
        return disableMessageId;
    }

    @Override
    public void setDisableMessageTimestamp(boolean value) throws JMSException {
        checkOpen();
        disableTimestamp = value;
    }

    @Override
    public boolean getDisableMessageTimestamp() throws JMSException {
        checkOpen();
        return disableTimestamp;
    }

    @Override
    public void setDeliveryMode(int mode) throws JMSException {
        checkOpen();
        checkDeliveryMode(mode);
        deliveryMode = mode;
    }

    @Override
    public int getDeliveryMode() throws JMSException {
        checkOpen();
        return deliveryMode;
    }

    @Override
    public void setPriority(int value) throws JMSException {
        checkOpen();
        checkPriority(value);
        priority = value;
    }

    @Override
    public int getPriority() throws JMSException {
        checkOpen();
        return priority;
    }

    @Override
    public void setTimeToLive(long value) throws JMSException {
        checkOpen();
        timeToLive = value;
    }

    @Override
    public long getTimeToLive() throws JMSException {
        checkOpen();
        return timeToLive;
    }

    @Override
    public void setDeliveryDelay(long value) throws JMSException {
        checkOpen();
        deliveryDelay = value;
    }

    @Override
    public long getDeliveryDelay() throws JMSException {
        checkOpen();
        return deliveryDelay;
    }

    @Override
    public Destination getDestination() throws JMSException {
        checkOpen();
        return destination;
    }

    @Override
    public Queue getQueue() throws JMSException {
        return (Queue) getDestination();
    }

    @Override
    public Topic getTopic() throws JMSException {
        return (Topic) getDestination();
    }

    private static void checkDeliveryMode(int mode) throws JMSException {
        if (mode != DeliveryMode.PERSISTENT && mode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSException("delivery mode " + mode + " is not PERSISTENT (2) or NON_PERSISTENT (1)");
        }
    }

    private static void checkPriority(int p) throws JMSException {
        if (p < 0 || p > 9) {
            throw new JMSException("priority " + p + " is not within 0-9");
        }
    }

    // ---- sending -----------------------------------------------------------------------------------

    @Override
    public void send(Message message) throws JMSException {
        send(message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Message message, int mode, int prio, long ttl) throws JMSException {
        checkOpen();
        if (destination == null) {
            throw new UnsupportedOperationException("the producer has no destination: use send(destination, message)");
        }
        doSend(destination, message, mode, prio, ttl, null);
    }

    @Override
    public void send(Destination to, Message message) throws JMSException {
        send(to, message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Destination to, Message message, int mode, int prio, long ttl) throws JMSException {
        checkOpen();
        if (destination != null) {
            throw new UnsupportedOperationException("the producer was created for " + destination
                    + ": use send(message)");
        }
        doSend(DestinationArgs.keel(to, false), message, mode, prio, ttl, null);
    }

    @Override
    public void send(Message message, CompletionListener listener) throws JMSException {
        send(message, deliveryMode, priority, timeToLive, listener);
    }

    @Override
    public void send(Message message, int mode, int prio, long ttl, CompletionListener listener) throws JMSException {
        checkOpen();
        if (destination == null) {
            throw new UnsupportedOperationException("the producer has no destination: use send(destination, message)");
        }
        doSend(destination, message, mode, prio, ttl, required(listener));
    }

    @Override
    public void send(Destination to, Message message, CompletionListener listener) throws JMSException {
        send(to, message, deliveryMode, priority, timeToLive, listener);
    }

    @Override
    public void send(Destination to, Message message, int mode, int prio, long ttl, CompletionListener listener)
            throws JMSException {
        checkOpen();
        if (destination != null) {
            throw new UnsupportedOperationException("the producer was created for " + destination
                    + ": use send(message, listener)");
        }
        doSend(DestinationArgs.keel(to, false), message, mode, prio, ttl, required(listener));
    }

    @Override
    public void send(Queue queue, Message message) throws JMSException {
        send((Destination) queue, message);
    }

    @Override
    public void send(Queue queue, Message message, int mode, int prio, long ttl) throws JMSException {
        send((Destination) queue, message, mode, prio, ttl);
    }

    @Override
    public void publish(Message message) throws JMSException {
        send(message);
    }

    @Override
    public void publish(Message message, int mode, int prio, long ttl) throws JMSException {
        send(message, mode, prio, ttl);
    }

    @Override
    public void publish(Topic topic, Message message) throws JMSException {
        send(topic, message);
    }

    @Override
    public void publish(Topic topic, Message message, int mode, int prio, long ttl) throws JMSException {
        send(topic, message, mode, prio, ttl);
    }

    private static CompletionListener required(CompletionListener l) {
        if (l == null) {
            throw new IllegalArgumentException("the completion listener is null");
        }
        return l;
    }

    private void doSend(KeelDestination to, Message message, int mode, int prio, long ttl, CompletionListener listener)
            throws JMSException {
        if (message == null) {
            throw new MessageFormatException("the message is null");
        }
        if (to == null) {
            throw new InvalidDestinationException("the destination is null");
        }
        checkDeliveryMode(mode);
        checkPriority(prio);
        session.connection.used();
        session.sender().throwUnawaitedFailure();
        long now = System.currentTimeMillis();
        // The headers are set on the application's message object, whatever its provider.
        message.setJMSDestination(to);
        message.setJMSDeliveryMode(mode);
        message.setJMSPriority(prio);
        message.setJMSExpiration(ttl > 0 ? now + ttl : 0);
        message.setJMSTimestamp(disableTimestamp ? 0 : now);
        message.setJMSDeliveryTime(now + Math.max(0, deliveryDelay));
        // During a reconnection, wait for it (bounded by the reconnect timeout): the send then goes to
        // the new connection instead of waiting here as an unconfirmed one, and a transaction's send
        // joins the transaction on the new connection.
        session.connection.awaitReconnection();
        CompletableFuture<Frame> answer;
        int generation;
        boolean transacted = session.isTransacted();
        long transactionId = transacted ? session.transactionId() : 0;
        SessionSender.PendingSend sent = session.sender().send((senderId, seq) -> {
            message.setJMSMessageID(disableMessageId ? null : session.connection.messageIdPrefix() + senderId + ":" + seq);
            KeelMessage keel = message instanceof KeelMessage k ? k : KeelMessage.copyOf(message);
            return new SessionSender.PendingSend(to, seq, mode == DeliveryMode.PERSISTENT, prio,
                    deliveryDelay > 0 ? now + deliveryDelay : 0, transactionId, MessageCodec.encode(keel.toData()));
        });
        answer = sent.result;
        generation = sent.generation;
        if (listener != null) {
            CompletableFuture<Frame> a = answer;
            synchronized (this) {
                lastCallback = lastCallback.thenCompose(v -> a.handle((f, e) -> {
                    if (f != null) {
                        f.release();
                    }
                    return e;
                })).thenCompose(e -> session.runCallback(() -> {
                    if (e == null) {
                        listener.onCompletion(message);
                    } else {
                        listener.onException(message, JmsErrors.of("send to " + to, e));
                    }
                }));
            }
            if (session.isTransacted()) {
                // The callback chain releases the answer; the commit only needs to know whether it failed.
                session.transactedSend(answer.handle((f, e) -> {
                    if (e != null) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                    return null;
                }), generation);
            }
            return;
        }
        if (session.isTransacted()) {
            session.transactedSend(answer, generation);
            return;
        }
        ConnectionConfig config = session.connection.config();
        if (mode == DeliveryMode.NON_PERSISTENT && config.nonPersistentWindow() > 0) {
            session.sender().unawaited(answer, "send to " + to); // the broker's answer is checked later
            return;
        }
        JmsErrors.await(answer, config.sendTimeoutMillis() + (config.reconnects() ? config.reconnectTimeoutMillis() : 0),
                "send to " + to);
    }

    /** Waits for the callbacks of every asynchronous send so far (close, commit, rollback). */
    void awaitCompletions() throws JMSException {
        CompletableFuture<Void> last;
        synchronized (this) {
            last = lastCallback;
        }
        if (last.isDone()) {
            return;
        }
        if (session.onOwnDeliveryThread()) {
            throw new IllegalStateException("a completion listener may not wait for the completion of other sends");
        }
        try {
            last.get(session.connection.config().sendTimeoutMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw JmsErrors.of("waiting for asynchronous sends", e);
        }
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        awaitCompletions();
        closed = true;
        session.removed(this);
    }
}
