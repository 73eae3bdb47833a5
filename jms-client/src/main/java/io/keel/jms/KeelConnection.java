package io.keel.jms;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.jms.destination.KeelDestination;
import io.keel.jms.destination.KeelTemporaryQueue;
import io.keel.jms.destination.KeelTemporaryTopic;
import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ConnectionLost;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.client.RemoteError;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.Deliver;
import io.keel.protocol.command.RouteData;
import io.keel.protocol.frame.Frame;
import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.Wire;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;

/**
 * A JMS connection: one TCP connection to a broker (found through the name servers of the URL, or
 * named directly), shared by its sessions. Deliveries pushed by the broker are routed here to their
 * consumer. Delivery starts with {@link #start()}; {@link #stop()} and {@link #close()} wait for
 * running listeners.
 */
public class KeelConnection implements Connection, QueueConnection, TopicConnection {

    private static final Logger LOG = LoggerFactory.getLogger(KeelConnection.class);
    private static final String NAME_SERVER = "name server";
    private static final AtomicLong CONNECTIONS = new AtomicLong();

    /** The current broker connection and its number: every reconnection makes a new one. */
    record Link(ProtocolClient client, int generation) {
    }

    private final ConnectionConfig config;
    private volatile Link link;
    /** True from the loss of the broker until the reconnection has restored every session (or failed). */
    private volatile boolean reconnecting;
    private final java.util.Set<KeelDestination> temporaries = ConcurrentHashMap.newKeySet();
    private final String idPrefix;
    private final List<KeelSession> sessions = new CopyOnWriteArrayList<>();
    private final Map<Long, KeelMessageConsumer> consumers = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1);
    private final Object lifecycle = new Object();
    private volatile String clientId;
    private volatile boolean clientIdFixed;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile boolean broken;
    private volatile ExceptionListener exceptionListener;

    private KeelConnection(ConnectionConfig config, ProtocolClient client) {
        this.config = config;
        this.clientId = config.clientId();
        this.clientIdFixed = config.clientId() != null;
        this.idPrefix = "ID:keel-" + client.handshake().connectionId() + "-" + Long.toString(System.nanoTime() & 0xFFFFFF, 36)
                + "-" + CONNECTIONS.incrementAndGet() + "-";
        this.link = new Link(client, 0);
        attach(client, 0);
    }

    private void attach(ProtocolClient c, int generation) {
        c.onPush(f -> onPush(f, generation));
        c.closeFuture().whenComplete((v, e) -> lost(c));
    }

    /** Connects to the first reachable address of the configuration (through a name server if it names one). */
    static KeelConnection open(ConnectionConfig config) throws JMSException {
        return new KeelConnection(config, connectAny(config, config.clientId()));
    }

    /**
     * A protocol connection to the broker: the addresses of the configuration are tried in order; a
     * name server among them is asked for the broker (so a reconnection finds a broker that moved).
     */
    static ProtocolClient connectAny(ConnectionConfig config, String clientId) throws JMSException {
        JMSException last = null;
        for (String address : config.addresses()) {
            try {
                ProtocolClient c = connect(address, config, null);
                if (NAME_SERVER.equals(c.handshake().brokerName())) {
                    String broker = brokerFrom(c, config);
                    c.close();
                    c = connect(broker, config, clientId);
                } else if (clientId != null) {
                    c.close();
                    c = connect(address, config, clientId);
                }
                return c;
            } catch (RemoteError e) {
                JMSException j = JmsErrors.of("cannot connect to " + address, e);
                if (j instanceof InvalidClientIDException || j instanceof jakarta.jms.JMSSecurityException) {
                    throw j; // the next address would refuse it too
                }
                last = j;
            } catch (ConnectionLost e) {
                last = JmsErrors.of("cannot connect to " + address, e);
            }
        }
        throw last != null ? last : new JMSException("connection URL " + config.describe() + " names no address");
    }

    private static ProtocolClient connect(String address, ConnectionConfig config, String clientId) {
        int colon = address.lastIndexOf(':');
        ProtocolClient.Options o = ProtocolClient.Options.defaults().withClientId(clientId)
                .withCredentials(config.user(), config.password()).withHeartbeatMillis(config.heartbeatMillis())
                .withRequestTimeoutMillis(config.sendTimeoutMillis());
        return ProtocolClient.connect(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)), o);
    }

    /**
     * Asks a name server for a broker (every destination of a standalone cluster lives on one). A name
     * server that has not heard from a broker yet (one just started) is asked again, with a 100 ms
     * pause, until the connect timeout.
     */
    private static String brokerFrom(ProtocolClient nameServer, ConnectionConfig config) throws JMSException {
        long deadline = System.nanoTime() + config.connectTimeoutMillis() * 1_000_000L;
        while (true) {
            Frame f = JmsErrors.awaitFrame(nameServer.request(id -> RouteData.queryFrame(nameServer.channel().alloc(), id,
                    DestinationType.QUEUE, "keel.connection")), config.sendTimeoutMillis(), "route query to the name server");
            try {
                List<RouteData.BrokerRoute> routes = RouteData.decode(f.body()).brokers();
                if (!routes.isEmpty()) {
                    return routes.get(0).address();
                }
            } finally {
                f.release();
            }
            if (System.nanoTime() > deadline) {
                throw new JMSException("name server " + nameServer.peer() + " knows no running broker (waited "
                        + config.connectTimeoutMillis() + " ms)");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        }
    }

    // ---- internals used by sessions --------------------------------------------------------------

    ProtocolClient client() {
        return link.client();
    }

    Link link() {
        return link;
    }

    /**
     * Sends a request on the current broker connection; while a reconnection is under way, first
     * waits for it (at most the reconnect timeout), so that the request reaches the new connection.
     */
    java.util.concurrent.CompletableFuture<Frame> request(java.util.function.IntFunction<io.netty.buffer.ByteBuf> frame) {
        awaitReconnection();
        return link.client().request(frame);
    }

    /** Waits while a reconnection is under way (not on an I/O thread). */
    void awaitReconnection() {
        if (!reconnecting) {
            return;
        }
        long deadline = System.nanoTime() + config.reconnectTimeoutMillis() * 1_000_000L;
        synchronized (lifecycle) {
            while (reconnecting && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    lifecycle.wait(Math.max(1, left / 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Whether a send that failed with a lost connection will be resent after a reconnection. */
    boolean willReconnect() {
        return config.reconnects() && !closed && !broken;
    }

    ConnectionConfig config() {
        return config;
    }

    long nextId() {
        return ids.getAndIncrement();
    }

    String messageIdPrefix() {
        return idPrefix;
    }

    boolean isBroken() {
        return broken;
    }

    boolean isStarted() {
        return started && !closed;
    }

    void register(KeelMessageConsumer c) {
        consumers.put(c.id(), c);
    }

    void unregister(KeelMessageConsumer c) {
        consumers.remove(c.id());
    }

    void sessionClosed(KeelSession s) {
        sessions.remove(s);
    }

    /** Any use of the connection fixes its client id (it may only be set first). */
    void used() {
        clientIdFixed = true;
    }

    String clientIdOrNull() {
        return clientId;
    }

    void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the connection is closed");
        }
        if (broken) {
            throw new JMSException("the connection to the broker " + client().peer() + " is lost"
                    + (config.reconnects() ? " and reconnection failed" : ""), "CONNECTION_LOST");
        }
    }

    /** A pushed frame (the connection's event loop): a delivery, copied out and handed to its consumer. */
    private void onPush(Frame f, int generation) {
        try {
            if (f.command() == CommandCode.DELIVER) {
                Deliver d = new Deliver().decode(f.body());
                KeelMessageConsumer c = consumers.get(d.consumerId);
                if (c != null) {
                    byte[] bytes = new byte[d.message.readableBytes()];
                    d.message.readBytes(bytes);
                    c.onDelivery(new KeelMessageConsumer.Delivery(d.queueId, d.queueOffset, d.deliveryCount, bytes,
                            generation, f.correlationId()));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: bad frame from the broker: {}", client().peer(), e.toString());
        } finally {
            f.release();
        }
    }

    /** The broker connection {@code which} closed: reconnect if it is the current one and the URL allows it. */
    private void lost(ProtocolClient which) {
        if (closed || which != link.client()) {
            return;
        }
        if (!config.reconnects()) {
            failed(new JMSException("the connection to the broker " + which.peer() + " is lost", "CONNECTION_LOST"));
            return;
        }
        synchronized (lifecycle) {
            if (reconnecting) {
                return; // the reconnection under way notices it
            }
            reconnecting = true;
        }
        LOG.warn("{}: the connection to the broker {} is lost; reconnecting for up to {} ms", this, which.peer(),
                config.reconnectTimeoutMillis());
        for (KeelSession s : sessions) {
            s.connectionInterrupted();
        }
        Thread t = new Thread(new Reconnector(this), "keel-reconnect-" + which.handshake().connectionId());
        t.setDaemon(true);
        t.start();
    }

    /**
     * The reconnection found a broker: installs the new connection, gives back the temporary
     * destinations, re-creates every consumer and resends every unconfirmed send, then lets waiting
     * requests through. Throws if that fails (the caller closes {@code c} and tries again).
     */
    void resume(ProtocolClient c) throws JMSException {
        Link next;
        synchronized (lifecycle) {
            next = new Link(c, link.generation() + 1);
            link = next;
        }
        attach(c, next.generation());
        for (KeelDestination d : temporaries) {
            JmsErrors.await(c.request(id -> {
                io.netty.buffer.ByteBuf b = FrameLayout.begin(c.channel().alloc(), 16 + d.name().length() * 3,
                        CommandCode.CREATE_TEMPORARY, 0, id);
                b.writeByte(d.type().code());
                Wire.writeString(b, d.name());
                return FrameLayout.end(b);
            }), config.sendTimeoutMillis(), "take back " + d);
        }
        for (KeelSession s : sessions) {
            s.resume(next);
        }
        synchronized (lifecycle) {
            reconnecting = false;
            lifecycle.notifyAll();
        }
        LOG.info("{}: reconnected to the broker {}", this, c.peer());
        if (!c.isOpen()) {
            lost(c); // it died while being restored; its close was ignored then
        }
    }

    /** Reconnection gave up (or is not configured): the connection is unusable from now on. */
    void failed(JMSException e) {
        broken = true;
        synchronized (lifecycle) {
            reconnecting = false;
            lifecycle.notifyAll();
        }
        for (KeelMessageConsumer c : consumers.values()) {
            c.connectionLost();
        }
        for (KeelSession s : sessions) {
            s.connectionFailed(e);
        }
        ExceptionListener l = exceptionListener;
        if (l != null && !closed) {
            Thread t = new Thread(() -> l.onException(e), "keel-exception-listener");
            t.setDaemon(true);
            t.start();
        }
    }

    boolean isClosed() {
        return closed;
    }

    String currentClientId() {
        return clientId;
    }

    /** Creates a temporary queue or topic owned by this connection. */
    KeelDestination createTemporary(DestinationType type) throws JMSException {
        checkOpen();
        used();
        Frame f = JmsErrors.awaitFrame(request(id -> {
            io.netty.buffer.ByteBuf b = FrameLayout.begin(client().channel().alloc(), 1, CommandCode.CREATE_TEMPORARY, 0, id);
            b.writeByte(type.code());
            return FrameLayout.end(b);
        }), config.sendTimeoutMillis(), "create a temporary destination");
        try {
            String name = Wire.readString(f.body(), "temporary destination name");
            KeelDestination d = type == DestinationType.TEMPORARY_QUEUE ? new KeelTemporaryQueue(name, this::deleteTemporary)
                    : new KeelTemporaryTopic(name, this::deleteTemporary);
            temporaries.add(d);
            return d;
        } finally {
            f.release();
        }
    }

    private void deleteTemporary(KeelDestination d) throws JMSException {
        checkOpen();
        JmsErrors.await(request(id -> {
            io.netty.buffer.ByteBuf b = FrameLayout.begin(client().channel().alloc(), 16 + d.name().length() * 3,
                    CommandCode.DELETE_TEMPORARY, 0, id);
            b.writeByte(d.type().code());
            Wire.writeString(b, d.name());
            return FrameLayout.end(b);
        }), config.sendTimeoutMillis(), "delete " + d);
        temporaries.remove(d);
    }

    // ---- jakarta.jms.Connection ------------------------------------------------------------------

    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return createKeelSession(transacted, acknowledgeMode);
    }

    @Override
    public Session createSession(int sessionMode) throws JMSException {
        return createKeelSession(sessionMode == Session.SESSION_TRANSACTED, sessionMode);
    }

    @Override
    public Session createSession() throws JMSException {
        return createKeelSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    @Override
    public QueueSession createQueueSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return createKeelSession(transacted, acknowledgeMode).restrictTo(KeelSession.Domain.QUEUE);
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return createKeelSession(transacted, acknowledgeMode).restrictTo(KeelSession.Domain.TOPIC);
    }

    private KeelSession createKeelSession(boolean transacted, int mode) throws JMSException {
        checkOpen();
        used();
        int ackMode = transacted ? Session.SESSION_TRANSACTED : mode;
        if (!transacted && ackMode != Session.AUTO_ACKNOWLEDGE && ackMode != Session.CLIENT_ACKNOWLEDGE
                && ackMode != Session.DUPS_OK_ACKNOWLEDGE) {
            throw new JMSException("acknowledge mode " + mode + " is not AUTO_ACKNOWLEDGE (1), CLIENT_ACKNOWLEDGE (2),"
                    + " DUPS_OK_ACKNOWLEDGE (3) or SESSION_TRANSACTED (0)");
        }
        KeelSession s = new KeelSession(this, ackMode);
        sessions.add(s);
        return s;
    }

    /** Registers a session made outside createSession (an XA session): it starts and closes with this connection. */
    <S extends KeelSession> S adopt(S s) throws JMSException {
        checkOpen();
        used();
        sessions.add(s);
        return s;
    }

    @Override
    public String getClientID() throws JMSException {
        checkOpen();
        return clientId;
    }

    @Override
    public void setClientID(String id) throws JMSException {
        checkOpen();
        if (clientIdFixed) {
            throw new IllegalStateException(clientId != null ? "the connection already has client id '" + clientId + "'"
                    : "the client id can only be set right after the connection is created, before any other use");
        }
        if (id == null || id.isEmpty()) {
            throw new InvalidClientIDException("a client id must not be null or empty");
        }
        JmsErrors.await(request(id2 -> {
            io.netty.buffer.ByteBuf b = FrameLayout.begin(client().channel().alloc(), 8 + id.length() * 3,
                    CommandCode.SET_CLIENT_ID, 0, id2);
            Wire.writeString(b, id);
            return FrameLayout.end(b);
        }), config.sendTimeoutMillis(), "set client id '" + id + "'");
        clientId = id;
        clientIdFixed = true;
    }

    @Override
    public ConnectionMetaData getMetaData() throws JMSException {
        checkOpen();
        used();
        return new KeelConnectionMetaData();
    }

    @Override
    public ExceptionListener getExceptionListener() throws JMSException {
        checkOpen();
        used();
        return exceptionListener;
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) throws JMSException {
        checkOpen();
        used();
        this.exceptionListener = listener;
    }

    @Override
    public void start() throws JMSException {
        checkOpen();
        used();
        synchronized (lifecycle) {
            started = true;
        }
        for (KeelSession s : sessions) {
            s.connectionStarted();
        }
    }

    @Override
    public void stop() throws JMSException {
        checkOpen();
        used();
        if (KeelSession.onMessageListenerThreadOf(this)) {
            throw new IllegalStateException("a message listener may not stop its own connection");
        }
        synchronized (lifecycle) {
            started = false;
        }
        for (KeelSession s : sessions) {
            s.awaitListenersIdle();
        }
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        if (KeelSession.onListenerThreadOf(this)) {
            throw new IllegalStateException("a message listener may not close its own connection");
        }
        started = false;
        if (reconnecting) {
            // No broker to say goodbye to: the sessions close locally and the reconnection stops.
            closed = true;
            synchronized (lifecycle) {
                lifecycle.notifyAll();
            }
        }
        for (KeelSession s : sessions) {
            try {
                s.close();
            } catch (JMSException e) {
                LOG.debug("closing a session of a closing connection: {}", e.toString());
            }
        }
        closed = true;
        synchronized (lifecycle) {
            lifecycle.notifyAll(); // a reconnection under way stops
        }
        client().close();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Destination destination, String messageSelector,
            ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw connectionConsumers();
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName, String messageSelector,
            ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw connectionConsumers();
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw connectionConsumers();
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw connectionConsumers();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Queue queue, String messageSelector, ServerSessionPool sessionPool,
            int maxMessages) throws JMSException {
        throw connectionConsumers();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Topic topic, String messageSelector, ServerSessionPool sessionPool,
            int maxMessages) throws JMSException {
        throw connectionConsumers();
    }

    /** Connection consumers are the optional application-server facility; message-driven beans use the resource adapter. */
    private static JMSException connectionConsumers() {
        return new JMSException("connection consumers (ServerSessionPool) are an optional facility Keel does not "
                + "offer; deploy the Keel resource adapter for message-driven beans");
    }

    @Override
    public String toString() {
        return "KeelConnection[" + client().peer() + (clientId == null ? "" : ", client id " + clientId) + "]";
    }
}
