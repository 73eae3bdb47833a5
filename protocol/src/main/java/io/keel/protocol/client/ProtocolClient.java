package io.keel.protocol.client;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.ErrorReply;
import io.keel.protocol.command.Handshake;
import io.keel.protocol.frame.Frame;
import io.keel.protocol.frame.FlushCoalescer;
import io.keel.protocol.frame.FrameDecoder;
import io.keel.protocol.frame.FrameLayout;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * One protocol connection to a broker or name server: handshake, requests answered by correlation
 * id, one-way frames, server-pushed frames, heartbeats (and closing when the peer falls silent).
 * Thread-safe. Shared by the JMS client, the broker's name-server registration and {@code keel admin}.
 */
public final class ProtocolClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolClient.class);
    private static volatile EventLoopGroup sharedGroup;
    /** How long {@link #close} waits for the server to answer its CLOSE before closing anyway. */
    private static final long CLOSE_ANSWER_TIMEOUT_MS = 5_000;

    /** Connection settings. */
    public record Options(String clientId, String user, String password, int heartbeatMillis, int maxFrameSize,
            long connectTimeoutMillis, long requestTimeoutMillis) {

        public static Options defaults() {
            return new Options(null, null, null, 10_000, FrameLayout.DEFAULT_MAX_FRAME_SIZE, 10_000, 30_000);
        }

        public Options withClientId(String id) {
            return new Options(id, user, password, heartbeatMillis, maxFrameSize, connectTimeoutMillis, requestTimeoutMillis);
        }

        public Options withCredentials(String u, String p) {
            return new Options(clientId, u, p, heartbeatMillis, maxFrameSize, connectTimeoutMillis, requestTimeoutMillis);
        }

        public Options withHeartbeatMillis(int ms) {
            return new Options(clientId, user, password, ms, maxFrameSize, connectTimeoutMillis, requestTimeoutMillis);
        }

        public Options withRequestTimeoutMillis(long ms) {
            return new Options(clientId, user, password, heartbeatMillis, maxFrameSize, connectTimeoutMillis, ms);
        }
    }

    private final Channel channel;
    private final String peer;
    private final Options options;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final long requestTimeoutNanos;
    private volatile io.netty.util.concurrent.ScheduledFuture<?> expiry;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile Consumer<Frame> pushHandler = Frame::release;
    private volatile Handshake.Response handshake;

    private ProtocolClient(Channel channel, String peer, Options options) {
        this.channel = channel;
        this.peer = peer;
        this.options = options;
        this.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(options.requestTimeoutMillis());
    }

    /** A request's answer to come, and when it stops waiting. */
    private static final class Pending extends CompletableFuture<Frame> {
        final long deadline;

        Pending(long deadline) {
            this.deadline = deadline;
        }
    }

    /**
     * Request timeouts are checked by one sweep per connection on its event loop, every tenth of the
     * timeout (10 ms to 1 s): a timer per request would wake the JDK's timer thread on every request
     * that finds no other one pending (a lone synchronous sender).
     */
    private void startExpiry() {
        long timeout = options.requestTimeoutMillis();
        if (timeout <= 0) {
            return;
        }
        long period = Math.max(10, Math.min(1000, timeout / 10));
        expiry = channel.eventLoop().scheduleAtFixedRate(this::expireRequests, period, period, TimeUnit.MILLISECONDS);
        if (!channel.isOpen()) {
            expiry.cancel(false); // closed before the sweep was scheduled: onClosed did not see it
        }
    }

    private void expireRequests() {
        long now = System.nanoTime();
        for (Map.Entry<Integer, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (p.deadline - now <= 0 && pending.remove(e.getKey(), p)) {
                p.completeExceptionally(new java.util.concurrent.TimeoutException("no answer from " + peer + " within "
                        + options.requestTimeoutMillis() + " ms"));
            }
        }
    }

    /**
     * Linux's epoll transport where its native library loads, as the broker does, else NIO (Netty's
     * {@code -Dio.netty.transport.noNative=true} forces NIO).
     */
    private static final boolean NATIVE = io.netty.channel.epoll.Epoll.isAvailable();

    /** The event loops of clients that do not bring their own (daemon threads, created once). */
    public static EventLoopGroup sharedEventLoops() {
        EventLoopGroup g = sharedGroup;
        if (g == null) {
            synchronized (ProtocolClient.class) {
                g = sharedGroup;
                if (g == null) {
                    java.util.concurrent.ThreadFactory threads = r -> {
                        Thread t = new Thread(r, "keel-client-io");
                        t.setDaemon(true);
                        return t;
                    };
                    int n = Math.max(2, Runtime.getRuntime().availableProcessors());
                    g = NATIVE ? new io.netty.channel.epoll.EpollEventLoopGroup(n, threads)
                            : new NioEventLoopGroup(n, threads);
                    sharedGroup = g;
                }
            }
        }
        return g;
    }

    /**
     * Connects and completes the handshake. Fails with {@link RemoteError} if the peer refuses it and
     * with {@link ConnectionLost} if it cannot be reached.
     */
    public static ProtocolClient connect(String host, int port, Options options) {
        String peer = host + ":" + port;
        ProtocolClient[] holder = new ProtocolClient[1];
        EventLoopGroup loops = sharedEventLoops();
        Bootstrap b = new Bootstrap().group(loops)
                .channel(loops instanceof io.netty.channel.epoll.EpollEventLoopGroup
                        ? io.netty.channel.epoll.EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeoutMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        int hb = options.heartbeatMillis();
                        ch.pipeline().addLast(new FlushCoalescer(256));
                        ch.pipeline().addLast(new FrameDecoder(options.maxFrameSize()));
                        if (hb > 0) {
                            // Reads only: a writer-idle time there would cost an allocation per write.
                            ch.pipeline().addLast(new IdleStateHandler(hb * 3L, 0, 0, TimeUnit.MILLISECONDS));
                            ch.pipeline().addLast(new io.keel.protocol.frame.WriterIdleEvents(hb));
                        }
                        ch.pipeline().addLast(new Handler(holder));
                    }
                });
        ChannelFuture f = b.connect(new InetSocketAddress(host, port));
        if (!f.awaitUninterruptibly(options.connectTimeoutMillis() + 1000) || !f.isSuccess()) {
            f.channel().close();
            Throwable cause = f.cause();
            throw new ConnectionLost("cannot connect to " + peer + ": " + (cause == null ? "timed out" : cause.getMessage()), cause);
        }
        ProtocolClient client = new ProtocolClient(f.channel(), peer, options);
        holder[0] = client;
        f.channel().closeFuture().addListener(x -> client.onClosed());
        client.startExpiry();
        try {
            Frame response = client.request(id -> new Handshake.Request(Handshake.VERSION, options.clientId(),
                    options.user(), options.password(), options.heartbeatMillis()).frame(f.channel().alloc(), id))
                    .get(options.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
            try {
                client.handshake = Handshake.Response.decode(response.body());
            } finally {
                response.release();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            client.close();
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new ConnectionLost("handshake with " + peer + " failed: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            client.close();
            throw new ConnectionLost("handshake with " + peer + " timed out after " + options.requestTimeoutMillis() + " ms");
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new ConnectionLost("interrupted during the handshake with " + peer);
        }
        return client;
    }

    public Handshake.Response handshake() {
        return handshake;
    }

    public String peer() {
        return peer;
    }

    public Channel channel() {
        return channel;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** Completes when the connection is closed, from either side. */
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    /** Frames pushed by the peer (deliveries) go here, on the connection's event loop; the handler releases them. */
    public void onPush(Consumer<Frame> handler) {
        this.pushHandler = handler;
    }

    /**
     * Sends a request built by {@code frame} (given the correlation id) and returns its answer. An error
     * reply completes the future with {@link RemoteError}; the caller releases a successful frame.
     */
    public CompletableFuture<Frame> request(IntFunction<ByteBuf> frame) {
        int id = ids.incrementAndGet();
        Pending f = new Pending(System.nanoTime() + requestTimeoutNanos);
        pending.put(id, f);
        if (!channel.isActive()) {
            pending.remove(id);
            f.completeExceptionally(new ConnectionLost("connection to " + peer + " is closed"));
            return f;
        }
        channel.writeAndFlush(frame.apply(id)).addListener(w -> {
            if (!w.isSuccess()) {
                CompletableFuture<Frame> p = pending.remove(id);
                if (p != null) {
                    p.completeExceptionally(new ConnectionLost("cannot write to " + peer + ": " + w.cause(), w.cause()));
                }
            }
        });
        return f;
    }

    /** Requests sent and neither answered nor timed out yet. */
    int pendingRequests() {
        return pending.size();
    }

    /** Sends a one-way frame. */
    public void send(ByteBuf frame) {
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    private void onFrame(Frame frame) {
        if (frame.isResponse()) {
            Pending f = pending.remove(frame.correlationId());
            if (f == null) {
                frame.release();
                return;
            }
            if (frame.isError()) {
                try {
                    ErrorReply e = ErrorReply.decode(frame.body());
                    f.completeExceptionally(new RemoteError(e.code(), e.message()));
                } catch (RuntimeException bad) {
                    f.completeExceptionally(bad);
                } finally {
                    frame.release();
                }
            } else {
                f.complete(frame);
            }
        } else if (frame.command() == CommandCode.HEARTBEAT) {
            frame.release();
        } else {
            pushHandler.accept(frame);
        }
    }

    private void onClosed() {
        io.netty.util.concurrent.ScheduledFuture<?> e = expiry;
        if (e != null) {
            e.cancel(false);
        }
        ConnectionLost lost = new ConnectionLost("connection to " + peer + " closed");
        pending.values().forEach(f -> f.completeExceptionally(lost));
        pending.clear();
        closed.complete(null);
    }

    /**
     * Closes the connection: first a CLOSE request, answered once the server has released what a new
     * connection may claim at once (the client id), then the socket. A server that does not answer
     * in time (dead, or too old to know CLOSE) does not hold the close up beyond that. On the
     * connection's own event loop, where waiting for the answer could not work, it only closes.
     */
    @Override
    public void close() {
        if (channel.isActive() && !channel.eventLoop().inEventLoop()) {
            try {
                request(id -> FrameLayout.end(FrameLayout.begin(channel.alloc(), 0, CommandCode.CLOSE, 0, id)))
                        .get(Math.min(CLOSE_ANSWER_TIMEOUT_MS, requestTimeoutNanos / 1_000_000), TimeUnit.MILLISECONDS)
                        .release();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.debug("{}: CLOSE not answered ({}); closing anyway", peer, e.toString());
            }
        }
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static final class Handler extends SimpleChannelInboundHandler<Frame> {
        private final ProtocolClient[] holder;

        Handler(ProtocolClient[] holder) {
            super(false);
            this.holder = holder;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            ProtocolClient c = holder[0];
            if (c == null) {
                frame.release();
                return;
            }
            c.onFrame(frame);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent e) {
                if (e.state() == IdleState.WRITER_IDLE) {
                    ctx.writeAndFlush(FrameLayout.end(FrameLayout.begin(ctx.alloc(), 0, CommandCode.HEARTBEAT,
                            FrameLayout.FLAG_ONEWAY, 0)), ctx.voidPromise());
                } else if (e.state() == IdleState.READER_IDLE) {
                    LOG.warn("{}: nothing received for {} heartbeat intervals; closing the connection",
                            ctx.channel().remoteAddress(), 3);
                    ctx.close();
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warn("{}: {}; closing the connection", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
