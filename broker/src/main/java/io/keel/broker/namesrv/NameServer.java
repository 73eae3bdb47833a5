package io.keel.broker.namesrv;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.broker.transport.ServerTransport;
import io.keel.protocol.frame.FlushCoalescer;
import io.keel.protocol.frame.FrameDecoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * The name server: brokers register every 30 s with their destinations; a broker silent for the
 * expiry time (120 s) is dropped; clients ask which brokers serve a destination. It keeps no state on
 * disk, so several name servers are interchangeable peers. It runs inside the broker (standalone
 * mode) or on its own ({@code keel namesrv}).
 */
public final class NameServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NameServer.class);

    private final RouteTable routes = new RouteTable();
    private final ServerTransport transport;
    private final ScheduledExecutorService expiry;

    private NameServer(String host, int port, long expiryMillis, int heartbeatMillis, int maxFrameSize, int ioThreads) {
        this.transport = ServerTransport.bind("name server", host, port, ioThreads, 64 * 1024, 1024 * 1024,
                new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new FlushCoalescer(256));
                        ch.pipeline().addLast(new FrameDecoder(maxFrameSize));
                        ch.pipeline().addLast(new IdleStateHandler(heartbeatMillis * 3L, heartbeatMillis, 0,
                                TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast(new NameServerConnection(routes, maxFrameSize, heartbeatMillis));
                    }
                });
        this.expiry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keel-namesrv-expiry");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(10, Math.min(10_000, expiryMillis / 4));
        expiry.scheduleWithFixedDelay(() -> {
            List<String> dropped = routes.expire(System.currentTimeMillis() - expiryMillis);
            for (String b : dropped) {
                LOG.warn("name server: broker '{}' silent for more than {} ms; dropped from the routes", b, expiryMillis);
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** Binds {@code host:port} (0 = any free port) and starts serving. */
    public static NameServer start(String host, int port, long expiryMillis, int heartbeatMillis, int maxFrameSize,
            int ioThreads) {
        return new NameServer(host, port, expiryMillis, heartbeatMillis, maxFrameSize, ioThreads);
    }

    public int port() {
        return transport.port();
    }

    public RouteTable routes() {
        return routes;
    }

    @Override
    public void close() {
        expiry.shutdownNow();
        transport.close();
    }
}
