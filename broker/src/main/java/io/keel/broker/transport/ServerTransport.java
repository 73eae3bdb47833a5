package io.keel.broker.transport;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * A listening socket with its event loops: epoll where the native transport loads, NIO otherwise.
 * Binding a port that is taken fails with a {@link PortInUseException} naming the port and its role.
 */
public final class ServerTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTransport.class);

    /** A port could not be bound. */
    public static final class PortInUseException extends RuntimeException {
        public PortInUseException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private final String role;

    private ServerTransport(EventLoopGroup boss, EventLoopGroup workers, Channel serverChannel, String role) {
        this.boss = boss;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.role = role;
    }

    public static boolean nativeTransport() {
        return Epoll.isAvailable();
    }

    /**
     * Binds {@code host:port} ({@code port} 0 = any free port) and serves each connection with the
     * pipeline {@code initializer} sets up.
     */
    public static ServerTransport bind(String role, String host, int port, int ioThreads, int lowWaterMark,
            int highWaterMark, ChannelInitializer<SocketChannel> initializer) {
        boolean epoll = nativeTransport();
        String threads = role.replace(' ', '-');
        EventLoopGroup boss = epoll ? new EpollEventLoopGroup(1, daemon("keel-" + threads + "-accept"))
                : new NioEventLoopGroup(1, daemon("keel-" + threads + "-accept"));
        EventLoopGroup workers = epoll ? new EpollEventLoopGroup(ioThreads, daemon("keel-" + threads + "-io"))
                : new NioEventLoopGroup(ioThreads, daemon("keel-" + threads + "-io"));
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(lowWaterMark, highWaterMark))
                .childHandler(initializer);
        ChannelFuture f = b.bind(new InetSocketAddress(host, port)).awaitUninterruptibly();
        if (!f.isSuccess()) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            Throwable cause = f.cause();
            String why = cause instanceof BindException || String.valueOf(cause).contains("in use")
                    ? "is already in use" : "cannot be bound (" + cause + ")";
            throw new PortInUseException(role + " port " + port + " on " + host + " " + why
                    + "; stop the process using it or configure another port", cause);
        }
        LOG.debug("{} bound to {} with the {} transport", role, f.channel().localAddress(), epoll ? "epoll" : "NIO");
        return new ServerTransport(boss, workers, f.channel(), role);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The port actually bound. */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public String role() {
        return role;
    }

    /** Stops accepting connections; existing ones stay open. */
    public void stopAccepting() {
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Stops accepting and shuts the event loops down (closing every connection). */
    @Override
    public void close() {
        stopAccepting();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
