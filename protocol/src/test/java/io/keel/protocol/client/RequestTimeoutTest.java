package io.keel.protocol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.Handshake;
import io.keel.protocol.frame.Frame;
import io.keel.protocol.frame.FrameDecoder;
import io.keel.protocol.frame.FrameLayout;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * A request the peer never answers fails with a {@link TimeoutException} once the connection's request
 * timeout has passed (the per-connection sweep), and leaves nothing pending; the connection stays usable.
 */
class RequestTimeoutTest {

    private EventLoopGroup group;
    private Channel server;

    /** Answers the handshake and ROUTE_QUERY requests whose correlation id is even; drops the rest. */
    @BeforeEach
    void startSilentServer() {
        group = new NioEventLoopGroup(1);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new FrameDecoder(FrameLayout.DEFAULT_MAX_FRAME_SIZE));
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<Frame>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
                                if (f.command() == CommandCode.HANDSHAKE) {
                                    ctx.writeAndFlush(new Handshake.Response(Handshake.VERSION, "silent", 0,
                                            FrameLayout.DEFAULT_MAX_FRAME_SIZE, 1).frame(ctx.alloc(), f.correlationId()));
                                } else if (f.correlationId() % 2 == 0) {
                                    ctx.writeAndFlush(FrameLayout.end(FrameLayout.begin(ctx.alloc(), 0, f.command(),
                                            FrameLayout.FLAG_RESPONSE, f.correlationId())));
                                }
                            }
                        });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    @AfterEach
    void stop() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void anUnansweredRequestTimesOutAndAnAnsweredOneDoesNot() throws Exception {
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        try (ProtocolClient client = ProtocolClient.connect("127.0.0.1", port,
                ProtocolClient.Options.defaults().withHeartbeatMillis(0).withRequestTimeoutMillis(300))) {
            // The handshake took correlation id 1; the next request gets 2 (answered), then 3 (dropped).
            long start = System.nanoTime();
            CompletableFuture<Frame> answered = client.request(id -> FrameLayout.end(FrameLayout.begin(
                    client.channel().alloc(), 0, CommandCode.ROUTE_QUERY, 0, id)));
            CompletableFuture<Frame> dropped = client.request(id -> FrameLayout.end(FrameLayout.begin(
                    client.channel().alloc(), 0, CommandCode.ROUTE_QUERY, 0, id)));
            answered.get(5, TimeUnit.SECONDS).release();

            ExecutionException e = assertThrows(ExecutionException.class, () -> dropped.get(5, TimeUnit.SECONDS));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            TimeoutException timeout = assertInstanceOf(TimeoutException.class, e.getCause());
            assertTrue(timeout.getMessage().contains("300 ms"), timeout.getMessage());
            assertTrue(waitedMs >= 300 && waitedMs < 3_000, "timed out after " + waitedMs + " ms");
            assertTrue(client.isOpen(), "a timed-out request does not close the connection");

            CompletableFuture<Frame> later = client.request(id -> FrameLayout.end(FrameLayout.begin(
                    client.channel().alloc(), 0, CommandCode.ROUTE_QUERY, 0, id)));
            later.get(5, TimeUnit.SECONDS).release(); // id 4: answered
            assertEquals(0, client.pendingRequests(), "answered and timed-out requests leave nothing behind");
        }
    }
}
