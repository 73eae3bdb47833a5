package io.keel.broker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.broker.auth.Authenticator;
import io.keel.broker.config.BrokerConfig;
import io.keel.broker.consume.ConsumerHub;
import io.keel.broker.delivery.DeliveryEngine;
import io.keel.broker.delivery.DeliverySettings;
import io.keel.broker.destination.Destination;
import io.keel.broker.destination.DestinationRegistry;
import io.keel.broker.namesrv.NameServer;
import io.keel.broker.namesrv.NameServerRegistrar;
import io.keel.broker.transport.BrokerConnection;
import io.keel.broker.transport.ServerTransport;
import io.keel.protocol.command.BrokerRegistration;
import io.keel.protocol.frame.FlushCoalescer;
import io.keel.protocol.frame.FrameDecoder;
import io.keel.protocol.frame.WriterIdleEvents;
import io.keel.store.MessageStore;
import io.keel.store.StoreConfig;
import io.keel.store.StoreException;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * A running broker: the store, the destinations, the client port, the embedded name server in
 * standalone mode, and the registration with the name servers. {@link #close()} shuts down
 * gracefully: it stops accepting, unregisters, lets the store flush and complete pending sends,
 * writes the checkpoint, removes the abort marker, and only then closes the connections.
 */
public final class Broker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final BrokerConfig config;
    private final MessageStore store;
    private final DestinationRegistry destinations;
    private final ConsumerHub consumers = new ConsumerHub();
    private final NameServer nameServer;
    private final ServerTransport transport;
    private final NameServerRegistrar registrar;
    private final BrokerContext context;
    private volatile boolean closed;

    private Broker(BrokerConfig config) throws IOException {
        this.config = config;
        Path data = config.dataDir();
        StoreConfig sc = config.storeConfig();
        // Before the store: a bad users file is refused without touching the data directory.
        Authenticator auth = Authenticator.of(config);
        MessageStore s;
        try {
            s = MessageStore.open(sc);
        } catch (StoreException.Locked e) {
            auth.close();
            throw new BrokerStartException("cannot start: " + e.getMessage(), e);
        } catch (IllegalArgumentException | StoreException e) {
            auth.close();
            throw new BrokerStartException("cannot open the store in " + data.resolve("store") + ": " + e.getMessage(), e);
        }
        this.store = s;
        NameServer ns = null;
        ServerTransport t = null;
        BrokerContext ctx = null;
        DeliveryEngine engine = null;
        DestinationRegistry registry = null;
        try {
            registry = new DestinationRegistry(data.resolve("broker"), store, config.autoCreateDestinations(),
                    config.defaultQueueCount());
            store.addDispatchListener(consumers);
            engine = new DeliveryEngine(store, registry, DeliverySettings.defaults(), data.resolve("broker"),
                    config.snapshotIntervalMillis(), config.duplicateWindowMillis());
            store.addDispatchListener(engine);
            if (config.embeddedNameServer()) {
                ns = NameServer.start(config.listenAddress(), config.nameServerPort(), config.brokerExpiryMillis(),
                        config.heartbeatMillis(), config.maxFrameSize(), 1);
            }
            ctx = new BrokerContext(config, store, registry, consumers, engine, auth);
            BrokerContext context = ctx;
            t = ServerTransport.bind("broker", config.listenAddress(), config.brokerPort(), config.ioThreads(),
                    config.writeBufferLowWaterMark(), config.writeBufferHighWaterMark(),
                    new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new FlushCoalescer(256));
                            ch.pipeline().addLast(new FrameDecoder(config.maxFrameSize()));
                            // Reads only: a writer-idle time there would cost an allocation per write.
                            ch.pipeline().addLast(new IdleStateHandler(config.heartbeatMillis() * 3L, 0, 0,
                                    TimeUnit.MILLISECONDS));
                            ch.pipeline().addLast(new WriterIdleEvents(config.heartbeatMillis()));
                            ch.pipeline().addLast(new BrokerConnection(context));
                        }
                    });
        } catch (RuntimeException | IOException e) {
            if (t != null) {
                t.close();
            }
            if (ns != null) {
                ns.close();
            }
            if (engine != null) {
                engine.close();
            }
            if (registry != null) {
                registry.close();
            }
            store.close();
            auth.close();
            if (e instanceof ServerTransport.PortInUseException p) {
                throw new BrokerStartException("cannot start: " + p.getMessage(), p);
            }
            throw e;
        }
        this.destinations = registry;
        this.context = ctx;
        this.nameServer = ns;
        this.transport = t;
        List<String> servers = config.nameServers();
        if (servers.isEmpty() && ns != null) {
            servers = List.of(config.listenAddress() + ":" + ns.port());
        }
        this.registrar = servers.isEmpty() ? null
                : new NameServerRegistrar(servers, config.registerIntervalMillis(), this::registration);
    }

    /**
     * What a broker process sets for its JVM before it starts a broker ({@code keel broker} does; an
     * application embedding a broker may): Netty's buffer leak detection off, unless the
     * {@code io.netty.leakDetection.level} property (or the older {@code io.netty.leakDetectionLevel})
     * says otherwise. Why: at Netty's default level it tracks one buffer in 128 and records a stack
     * trace for each, on the I/O threads of every send and delivery; Keel's tests run with it, and
     * Artemis turns it off the same way in its acceptor and connector.
     *
     * @return the level now in force
     */
    public static io.netty.util.ResourceLeakDetector.Level serviceDefaults() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
        return io.netty.util.ResourceLeakDetector.getLevel();
    }

    /** Starts a broker; a {@link BrokerStartException} says why it could not. */
    public static Broker start(BrokerConfig config) {
        try {
            return new Broker(config.validate());
        } catch (IOException e) {
            throw new BrokerStartException("cannot start: " + e, e);
        }
    }

    private BrokerRegistration registration() {
        List<BrokerRegistration.Entry> entries = new ArrayList<>();
        for (Destination d : destinations.all()) {
            if (!d.id().type().isTemporary()) {
                entries.add(new BrokerRegistration.Entry(d.id().type(), d.id().name(), d.queueCount()));
            }
        }
        return new BrokerRegistration(config.brokerName(), clientAddress(), config.autoCreateDestinations(),
                config.defaultQueueCount(), entries);
    }

    /** host:port clients use to reach this broker. */
    public String clientAddress() {
        return config.advertisedAddress() + ":" + transport.port();
    }

    public int brokerPort() {
        return transport.port();
    }

    /** The embedded name server's port, or -1 without one. */
    public int nameServerPort() {
        return nameServer == null ? -1 : nameServer.port();
    }

    public BrokerConfig config() {
        return config;
    }

    public MessageStore store() {
        return store;
    }

    public DestinationRegistry destinations() {
        return destinations;
    }

    public NameServer nameServer() {
        return nameServer;
    }

    /** The state shared by the broker's connections. */
    public BrokerContext context() {
        return context;
    }

    /** A one-line description of where the broker listens, printed at start. */
    public String describe() {
        return "broker '" + config.brokerName() + "' listening on " + clientAddress()
                + (nameServer == null ? "" : ", name server on " + config.listenAddress() + ":" + nameServer.port())
                + ", transport " + (ServerTransport.nativeTransport() ? "epoll" : "NIO")
                + ", data in " + config.dataDir()
                + (store.recoveryReport().crashed() ? " (recovered after an unclean shutdown)" : "");
    }

    /**
     * Closes every client connection before the delivery state is snapshotted and the store closed,
     * so that the snapshot sees their consumers' messages returned and their transactions rolled
     * back, and nothing is delivered after it. Sends not answered yet are lost to their clients,
     * which resend them on reconnection (duplicates are dropped by producer id and sequence).
     */
    private void closeClientConnections() {
        java.util.List<io.netty.channel.Channel> open = new java.util.ArrayList<>(context.connections());
        context.connections().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        for (io.netty.channel.Channel c : open) {
            // channelInactive runs as a task queued on the channel's event loop by the close: wait past it.
            if (!c.eventLoop().isShuttingDown()) {
                c.eventLoop().submit(() -> { }).awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("broker '{}' shutting down", config.brokerName());
        transport.stopAccepting();
        if (registrar != null) {
            registrar.close();
        }
        closeClientConnections();
        context.delivery().close();
        try {
            store.close();
        } catch (IOException | RuntimeException e) {
            LOG.error("store did not close cleanly: {}", e.toString(), e);
        }
        destinations.close();
        transport.close();
        context.authenticator().close();
        if (nameServer != null) {
            nameServer.close();
        }
        LOG.info("broker '{}' stopped", config.brokerName());
    }
}
