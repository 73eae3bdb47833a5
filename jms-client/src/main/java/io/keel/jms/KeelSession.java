package io.keel.jms;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.jms.destination.KeelDestination;
import io.keel.jms.destination.KeelQueue;
import io.keel.jms.destination.KeelTopic;
import io.keel.jms.message.KeelBytesMessage;
import io.keel.jms.message.KeelMapMessage;
import io.keel.jms.message.KeelMessage;
import io.keel.jms.message.KeelObjectMessage;
import io.keel.jms.message.KeelStreamMessage;
import io.keel.jms.message.KeelTextMessage;
import io.keel.protocol.DestinationType;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.CreateConsumer;
import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.Wire;
import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;

/**
 * A JMS session. Message listeners and completion listeners of the session run one at a time on
 * its own delivery thread. Acknowledgement: AUTO and DUPS_OK acknowledge each message as the
 * application gets it; CLIENT keeps every delivered message until {@link Message#acknowledge()};
 * SESSION_TRANSACTED sends are prepared on the broker and acknowledgements join the transaction at
 * {@link #commit()} (one commit record, one force on the broker).
 */
public class KeelSession implements Session, QueueSession, TopicSession {

    private static final Logger LOG = LoggerFactory.getLogger(KeelSession.class);
    /** The session whose listener (or completion listener) runs on the current thread. */

    final KeelConnection connection;
    private final int ackMode;
    private final SessionThread delivery;
    private final List<KeelMessageConsumer> consumers = new CopyOnWriteArrayList<>();
    private final List<KeelMessageProducer> producers = new CopyOnWriteArrayList<>();
    private final List<KeelQueueBrowser> browsers = new CopyOnWriteArrayList<>();
    /** What the application got and has not acknowledged yet (CLIENT and transacted sessions). */
    private final Acknowledgements acks;
    /** Numbers, sends and (after a failover) resends the messages of every producer of this session. */
    private final SessionSender sender;
    /** CLIENT_ACKNOWLEDGE: unacknowledged messages of consumers closed since, held for acknowledge(). */
    private final Acknowledgements.OfClosedConsumers closedConsumers;
    /** The current local transaction (transacted sessions only). */
    private final SessionTransaction transaction;
    private volatile boolean closed;

    /** The messaging domain of a session made by createQueueSession or createTopicSession (JMS 3.1 §9.2). */
    enum Domain { ANY, QUEUE, TOPIC }

    private volatile Domain domain = Domain.ANY;

    /** Makes this a QueueSession or TopicSession: the other domain's methods throw IllegalStateException. */
    KeelSession restrictTo(Domain d) {
        this.domain = d;
        return this;
    }

    /** Table 9-1 of the specification: a method of the other domain on a QueueSession or TopicSession. */
    private void requireDomainAllows(Domain methodDomain, String method) throws JMSException {
        if (domain != Domain.ANY && domain != methodDomain) {
            throw new IllegalStateException(method + " is not allowed on a " + (domain == Domain.QUEUE ? "QueueSession"
                    : "TopicSession") + " (JMS 3.1 §9.2, table 9-1)");
        }
    }

    KeelSession(KeelConnection connection, int ackMode) {
        this.connection = connection;
        this.ackMode = ackMode;
        this.delivery = new SessionThread(this, "keel-session-" + connection.nextId());
        this.acks = new Acknowledgements(connection);
        this.transaction = ackMode == SESSION_TRANSACTED ? new SessionTransaction(connection, acks) : null;
        this.sender = new SessionSender(connection);
        this.closedConsumers = acks.new OfClosedConsumers();
    }

    /**
     * Whether a message listener (not a completion listener) of a session of {@code c} runs on this
     * thread: it may not stop its connection (JMS 3.1 §6.1.5), which a completion listener may.
     */
    static boolean onMessageListenerThreadOf(KeelConnection c) {
        return onListenerThreadOf(c) && !SessionThread.inCompletionListener();
    }

    static boolean onListenerThreadOf(KeelConnection c) {
        KeelSession s = SessionThread.listenerSession();
        return s != null && s.connection == c;
    }

    boolean onOwnDeliveryThread() {
        return delivery.isCurrent();
    }

    void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the session is closed");
        }
        connection.checkOpen();
    }

    int getAckModeUnchecked() {
        return ackMode;
    }

    boolean isTransacted() {
        return ackMode == SESSION_TRANSACTED;
    }

    /** The local transaction sends and acknowledgements of this session belong to now (0 if not transacted). */
    SessionSender sender() {
        return sender;
    }

    long transactionId() {
        return transaction == null ? 0 : transaction.id();
    }

    /**
     * A send of the current transaction, made on broker connection {@code linkGeneration}: its answer
     * (a frame to release, or nothing) is checked at commit.
     */
    void transactedSend(CompletableFuture<?> answer, int linkGeneration) {
        transaction.send(answer, linkGeneration);
    }

    // ---- failover -----------------------------------------------------------------------------------

    /**
     * The broker connection was lost (a reconnection starts). The broker returns every message it
     * had leased to this session's consumers, so the unacknowledged ones will come again (marked
     * redelivered) and are forgotten here; buffered ones never reached the application. A
     * transaction with work in it is gone with the connection: it can only roll back now.
     */
    void connectionInterrupted() {
        if (transaction != null) {
            transaction.interrupted();
        }
        acks.takeAll();
        closedConsumers.forget();
        for (KeelMessageConsumer c : consumers) {
            c.connectionInterrupted();
        }
    }

    /** After a reconnection: consumers subscribe again, producers resend what was not confirmed. */
    void resume(KeelConnection.Link link) throws JMSException {
        for (KeelMessageConsumer c : consumers) {
            c.resubscribe(link.client());
        }
        sender.resume(link);
    }

    /** Reconnection gave up: unconfirmed sends fail. */
    void connectionFailed(JMSException e) {
        sender.failPending(e);
    }

    // ---- delivery ---------------------------------------------------------------------------------

    /** Runs a consumer's listener over its buffered messages on the session thread. */
    void scheduleDrain(KeelMessageConsumer c) {
        if (!closed) {
            delivery.drain(c);
        }
    }

    /** Runs a completion listener callback on the session thread, in the order they were queued. */
    CompletableFuture<Void> runCallback(Runnable callback) {
        return delivery.callback(callback);
    }

    void connectionStarted() {
        for (KeelMessageConsumer c : consumers) {
            c.connectionStarted();
        }
    }

    /** Waits until no listener of this session runs (stop, close); not on the session's own thread. */
    void awaitListenersIdle() {
        delivery.awaitIdle();
    }

    /**
     * A message a listener of {@code c} handled: acknowledge it now (not waited for: the next delivery
     * need not wait a round trip), or keep it for acknowledge/commit.
     */
    void delivered(KeelMessageConsumer c, KeelMessageConsumer.Delivery d) {
        int mode = getAckModeUnchecked(); // an XA session outside a branch acknowledges as AUTO does
        if (mode == AUTO_ACKNOWLEDGE || mode == DUPS_OK_ACKNOWLEDGE) {
            acks.settleOne(c, d, CommandCode.ACK);
        } else {
            keep(c, d);
        }
    }

    /**
     * A message returned by receive or receiveBody. In AUTO_ACKNOWLEDGE its acknowledgement is done
     * when the call returns (JMS 3.1 §6.2.10: "when it has successfully returned from a call to
     * receive"), so anyone, on any connection, sees it consumed from then on; DUPS_OK may lag.
     */
    void received(KeelMessageConsumer c, KeelMessageConsumer.Delivery d) throws JMSException {
        int mode = getAckModeUnchecked();
        if (mode == AUTO_ACKNOWLEDGE) {
            acks.settle(List.of(new Acknowledgements.Delivered(c, d.storeQueueId(), d.offset())), CommandCode.ACK,
                    "acknowledge the received message", 0, null);
        } else if (mode == DUPS_OK_ACKNOWLEDGE) {
            acks.settleOne(c, d, CommandCode.ACK);
        } else {
            keep(c, d);
        }
    }

    private void keep(KeelMessageConsumer c, KeelMessageConsumer.Delivery d) {
        acks.keep(c, d);
        if (transaction != null) {
            transaction.joined(d.generation());
        }
    }

    /** Returns a message to the broker for redelivery (a listener threw, recover). */
    void release(KeelMessageConsumer c, KeelMessageConsumer.Delivery d) {
        acks.settleOne(c, d, CommandCode.RELEASE);
    }

    /** CLIENT_ACKNOWLEDGE: {@link Message#acknowledge()} acknowledges everything the session delivered so far. */
    void acknowledgeAll() throws JMSException {
        checkOpen();
        if (ackMode != CLIENT_ACKNOWLEDGE) {
            return; // the specification: ignored in other modes
        }
        acks.settle(acks.takeAll(), CommandCode.ACK, "acknowledge", 0, null);
        closedConsumers.commit();
    }

    /** A consumer of a transacted session closes: what it delivered joins the transaction first. */
    void consumerClosing(KeelMessageConsumer c) throws JMSException {
        if (getAckModeUnchecked() == CLIENT_ACKNOWLEDGE) {
            closedConsumers.keep(acks.takeOf(c));
            return;
        }
        if (ackMode != SESSION_TRANSACTED) {
            return;
        }
        List<Acknowledgements.Delivered> mine = acks.takeOf(c);
        if (!mine.isEmpty()) {
            // Acknowledged into the transaction on the connection it lives on; if that one is gone, the
            // transaction is lost anyway and the messages come back.
            KeelConnection.Link link = connection.link();
            transaction.joined(link.generation());
            acks.settle(mine, CommandCode.TXN_ACK, "hand the closing consumer's messages to the transaction",
                    transactionId(), link.client());
        }
    }

    void removed(KeelMessageConsumer c) {
        consumers.remove(c);
    }

    void removed(KeelMessageProducer p) {
        producers.remove(p);
    }

    void removed(KeelQueueBrowser b) {
        browsers.remove(b);
    }

    // ---- transactions ---------------------------------------------------------------------------

    @Override
    public boolean getTransacted() throws JMSException {
        checkOpen();
        return ackMode == SESSION_TRANSACTED;
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        checkOpen();
        return ackMode;
    }

    @Override
    public void commit() throws JMSException {
        checkOpen();
        if (ackMode != SESSION_TRANSACTED) {
            throw new IllegalStateException("commit: the session is not transacted");
        }
        if (SessionThread.inCompletionListener()) {
            throw new IllegalStateException("commit may not be called from a completion listener");
        }
        for (KeelMessageProducer p : producers) {
            p.awaitCompletions();
        }
        transaction.commit();
    }

    /**
     * XA end (see {@link KeelXAResource}): the session's pending work joins its broker transaction now,
     * so the branch can be completed by its id alone, after the session moved on or closed. Returns why
     * the branch must roll back, or null.
     */
    JMSException handOverToTransaction() throws JMSException {
        for (KeelMessageProducer p : producers) {
            p.awaitCompletions();
        }
        return transaction.handOver(transactionId());
    }

    @Override
    public void rollback() throws JMSException {
        checkOpen();
        if (ackMode != SESSION_TRANSACTED) {
            throw new IllegalStateException("rollback: the session is not transacted");
        }
        if (SessionThread.inCompletionListener()) {
            throw new IllegalStateException("rollback may not be called from a completion listener");
        }
        for (KeelMessageProducer p : producers) {
            p.awaitCompletions();
        }
        rollbackNow();
    }

    private void rollbackNow() throws JMSException {
        transaction.rollback(this::recoverConsumers);
    }

    @Override
    public void recover() throws JMSException {
        checkOpen();
        if (ackMode == SESSION_TRANSACTED) {
            throw new IllegalStateException("recover: the session is transacted; use rollback");
        }
        recoverConsumers(acks.takeAll());
        closedConsumers.rollback();
    }

    /**
     * Recover or rollback of every consumer of the session: what the application saw goes back for
     * redelivery, what was prefetched goes back uncounted (see {@link KeelMessageConsumer#recover}).
     */
    private void recoverConsumers(List<Acknowledgements.Delivered> seen) throws JMSException {
        for (KeelMessageConsumer c : consumers) {
            c.recover(seen.stream().filter(d -> d.consumer() == c).toList());
        }
    }

    // ---- messages ---------------------------------------------------------------------------------

    @Override
    public BytesMessage createBytesMessage() throws JMSException {
        checkOpen();
        return new KeelBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() throws JMSException {
        checkOpen();
        return new KeelMapMessage();
    }

    @Override
    public Message createMessage() throws JMSException {
        checkOpen();
        return new KeelMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() throws JMSException {
        checkOpen();
        return new KeelObjectMessage();
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
        checkOpen();
        KeelObjectMessage m = new KeelObjectMessage();
        m.setObject(object);
        return m;
    }

    @Override
    public StreamMessage createStreamMessage() throws JMSException {
        checkOpen();
        return new KeelStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() throws JMSException {
        checkOpen();
        return new KeelTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) throws JMSException {
        checkOpen();
        KeelTextMessage m = new KeelTextMessage();
        m.setText(text);
        return m;
    }

    // ---- producers and consumers ------------------------------------------------------------------

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        checkOpen();
        KeelMessageProducer p = new KeelMessageProducer(this, DestinationArgs.keel(destination, true));
        producers.add(p);
        return p;
    }

    @Override
    public MessageConsumer createConsumer(Destination destination) throws JMSException {
        return createConsumer(destination, null, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String selector) throws JMSException {
        return createConsumer(destination, selector, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String selector, boolean noLocal) throws JMSException {
        KeelDestination d = DestinationArgs.keel(destination, false);
        return open(d, d.type().isQueue() ? CreateConsumer.KIND_QUEUE : CreateConsumer.KIND_NON_DURABLE, null, selector,
                noLocal);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String name) throws JMSException {
        return createSharedConsumer(topic, name, null);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String name, String selector) throws JMSException {
        checkOpen();
        requireDomainAllows(Domain.TOPIC, "createSharedConsumer");
        return open(DestinationArgs.topic(topic), CreateConsumer.KIND_SHARED_NON_DURABLE, DestinationArgs.name(name), selector, false);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
        return createDurableSubscriber(topic, name, null, false);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String selector, boolean noLocal)
            throws JMSException {
        checkOpen();
        requireDomainAllows(Domain.TOPIC, "createDurableSubscriber");
        return open(DestinationArgs.topic(topic), CreateConsumer.KIND_DURABLE, DestinationArgs.name(name), selector, noLocal);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        return createDurableSubscriber(topic, name, null, false);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String selector, boolean noLocal)
            throws JMSException {
        return createDurableSubscriber(topic, name, selector, noLocal);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        return createSharedDurableConsumer(topic, name, null);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String selector) throws JMSException {
        checkOpen();
        requireDomainAllows(Domain.TOPIC, "createSharedDurableConsumer");
        return open(DestinationArgs.topic(topic), CreateConsumer.KIND_SHARED_DURABLE, DestinationArgs.name(name), selector, false);
    }

    private KeelMessageConsumer open(KeelDestination d, byte kind, String subscription, String selector, boolean noLocal)
            throws JMSException {
        checkOpen();
        connection.used();
        if (kind == CreateConsumer.KIND_DURABLE && connection.clientIdOrNull() == null) {
            throw new IllegalStateException("durable subscription '" + subscription
                    + "': an unshared durable subscription needs a client id on the connection");
        }
        KeelMessageConsumer c = new KeelMessageConsumer(this, connection.nextId(), d, selector,
                noLocal && kind != CreateConsumer.KIND_QUEUE, kind, subscription);
        connection.register(c);
        try {
            JmsErrors.await(connection.request(id -> c.createFrame(connection.client(), id)),
                    connection.config().sendTimeoutMillis(),
                    "create a consumer on " + d + (subscription == null ? "" : " (subscription '" + subscription + "')"));
        } catch (JMSException e) {
            connection.unregister(c);
            throw e;
        }
        consumers.add(c);
        if (connection.isStarted()) {
            c.connectionStarted(); // a start() racing with the creation; gives the credit once
        }
        return c;
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        checkOpen();
        requireDomainAllows(Domain.TOPIC, "unsubscribe");
        connection.used();
        JmsErrors.await(connection.request(id -> {
            io.netty.buffer.ByteBuf b = FrameLayout.begin(connection.client().channel().alloc(), 8 + name.length() * 3,
                    CommandCode.UNSUBSCRIBE, 0, id);
            Wire.writeString(b, name);
            return FrameLayout.end(b);
        }), connection.config().sendTimeoutMillis(), "unsubscribe '" + name + "'");
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        return createBrowser(queue, null);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String selector) throws JMSException {
        checkOpen();
        requireDomainAllows(Domain.QUEUE, "createBrowser");
        KeelDestination d = DestinationArgs.keel(queue, false);
        KeelQueueBrowser b = new KeelQueueBrowser(this, d, selector);
        b.validate();
        browsers.add(b);
        return b;
    }

    @Override
    public Queue createQueue(String queueName) throws JMSException {
        checkOpen();
        requireDomainAllows(Domain.QUEUE, "createQueue");
        try {
            return new KeelQueue(queueName);
        } catch (IllegalArgumentException e) {
            throw new InvalidDestinationException(e.getMessage());
        }
    }

    @Override
    public Topic createTopic(String topicName) throws JMSException {
        checkOpen();
        requireDomainAllows(Domain.TOPIC, "createTopic");
        try {
            return new KeelTopic(topicName);
        } catch (IllegalArgumentException e) {
            throw new InvalidDestinationException(e.getMessage());
        }
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        checkOpen();
        requireDomainAllows(Domain.QUEUE, "createTemporaryQueue");
        return (TemporaryQueue) connection.createTemporary(DestinationType.TEMPORARY_QUEUE);
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        checkOpen();
        requireDomainAllows(Domain.TOPIC, "createTemporaryTopic");
        return (TemporaryTopic) connection.createTemporary(DestinationType.TEMPORARY_TOPIC);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue) throws JMSException {
        return (QueueReceiver) createConsumer(queue);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue, String selector) throws JMSException {
        return (QueueReceiver) createConsumer(queue, selector);
    }

    @Override
    public QueueSender createSender(Queue queue) throws JMSException {
        return (QueueSender) createProducer(queue);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
        return (TopicSubscriber) createConsumer(topic);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic, String selector, boolean noLocal) throws JMSException {
        return (TopicSubscriber) createConsumer(topic, selector, noLocal);
    }

    @Override
    public TopicPublisher createPublisher(Topic topic) throws JMSException {
        return (TopicPublisher) createProducer(topic);
    }

    // ---- the optional application-server facility ---------------------------------------------------

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return null;
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen();
        throw new JMSException("the session's distinguished message listener is an optional application-server "
                + "facility Keel does not offer; set a listener on a consumer");
    }

    @Override
    public void run() {
        throw new UnsupportedOperationException("Session.run is the optional application-server facility Keel does not offer");
    }

    // ---- closing ------------------------------------------------------------------------------------

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        if (SessionThread.listenerSession() == this) {
            throw new IllegalStateException("a message or completion listener may not close its own session");
        }
        for (KeelMessageProducer p : producers) {
            p.awaitCompletions();
        }
        if (!connection.isBroken()) {
            sender.awaitUnawaited(); // non-persistent sends reach the broker before the session goes
        }
        awaitListenersIdle();
        try {
            if (ackMode == SESSION_TRANSACTED && !connection.isBroken()) {
                rollbackNow();
            }
        } finally {
            for (KeelMessageConsumer c : consumers) {
                c.closeQuietly(); // CLIENT_ACKNOWLEDGE: their unacknowledged messages move to closedConsumers
            }
            if (!connection.isBroken()) {
                try {
                    closedConsumers.rollback(); // unacknowledged at close: redelivered, counted
                } catch (JMSException e) {
                    LOG.debug("returning the unacknowledged messages of a closing session: {}", e.toString());
                }
            }
            for (KeelQueueBrowser b : browsers) {
                b.closeQuietly();
            }
            producers.clear();
            closed = true;
            delivery.shutdown();
            connection.sessionClosed(this);
        }
    }
}
