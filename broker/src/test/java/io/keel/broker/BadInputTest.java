package io.keel.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.ErrorCode;
import io.keel.protocol.command.ErrorReply;
import io.keel.protocol.command.Handshake;
import io.keel.protocol.command.Subscribe;
import io.keel.protocol.frame.FrameLayout;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * Bad input from one peer gets an error reply or a closed connection, and the broker keeps serving
 * everyone else. A raw socket plays the misbehaving peer.
 */
class BadInputTest {

    @TempDir
    Path dir;
    private Broker broker;
    private ProtocolClient bystander;

    @BeforeEach
    void start() {
        broker = Broker.start(TestBrokers.config(dir).set("maxFrameSize", "1m").set("maxMessageSize", "512k"));
        bystander = TestBrokers.connect(broker);
    }

    @AfterEach
    void stop() {
        bystander.close();
        broker.close();
    }

    /** The broker still serves a well-behaved client. */
    private void assertBystanderServed() throws Exception {
        assertTrue(TestBrokers.send(bystander, "bystander", "still here", true).queueOffset() >= 0);
    }

    private Socket raw() throws IOException {
        Socket s = new Socket("127.0.0.1", broker.brokerPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void write(Socket s, ByteBuf frame) throws IOException {
        byte[] b = new byte[frame.readableBytes()];
        frame.readBytes(b);
        frame.release();
        OutputStream out = s.getOutputStream();
        out.write(b);
        out.flush();
    }

    /** Reads one frame: {command, flags, correlationId} and the body. */
    private static ByteBuf readFrame(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        int length = in.readInt();
        byte[] rest = new byte[length];
        in.readFully(rest);
        return Unpooled.buffer().writeInt(length).writeBytes(rest);
    }

    private static ErrorReply readError(Socket s) throws IOException {
        ByteBuf f = readFrame(s);
        assertTrue((f.getByte(FrameLayout.FLAGS) & FrameLayout.FLAG_ERROR) != 0, "an error reply");
        return ErrorReply.decode(f.skipBytes(FrameLayout.HEADER_SIZE));
    }

    private static void assertClosed(Socket s) throws IOException {
        try {
            int r = s.getInputStream().read();
            assertEquals(-1, r, "the broker closes the connection");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection stayed open");
        } catch (IOException e) {
            // reset by the peer: closed as well
        }
    }

    private static void handshake(Socket s) throws IOException {
        write(s, new Handshake.Request(Handshake.VERSION, null, null, null, 10_000).frame(ByteBufAllocator.DEFAULT, 1));
        ByteBuf f = readFrame(s);
        assertEquals(0, f.getByte(FrameLayout.FLAGS) & FrameLayout.FLAG_ERROR);
    }

    @Test
    void aHandshakeWithAnotherVersionIsRefusedAndClosed() throws Exception {
        try (Socket s = raw()) {
            write(s, new Handshake.Request((short) 99, null, null, null, 10_000).frame(ByteBufAllocator.DEFAULT, 1));
            ErrorReply e = readError(s);
            assertEquals(ErrorCode.UNSUPPORTED_VERSION, e.code());
            assertTrue(e.message().contains("version 99") && e.message().contains("speaks version 1"), e.message());
            assertClosed(s);
        }
        assertBystanderServed();
    }

    @Test
    void aFirstFrameOtherThanTheHandshakeIsRefused() throws Exception {
        try (Socket s = raw()) {
            write(s, FrameLayout.end(FrameLayout.begin(ByteBufAllocator.DEFAULT, 0, CommandCode.ADMIN_LIST, 0, 1)));
            assertEquals(ErrorCode.NOT_HANDSHAKEN, readError(s).code());
            assertClosed(s);
        }
        assertBystanderServed();
    }

    @Test
    void aFrameAboveTheMaximumClosesTheConnection() throws Exception {
        try (Socket s = raw()) {
            handshake(s);
            ByteBuf huge = Unpooled.buffer().writeInt(64 * 1024 * 1024).writeShort(CommandCode.SEND).writeShort(0).writeInt(2);
            write(s, huge);
            ErrorReply e = readError(s);
            assertEquals(ErrorCode.PROTOCOL_ERROR, e.code());
            assertTrue(e.message().contains("exceeds the maximum frame size"), e.message());
            assertClosed(s);
        }
        assertBystanderServed();
    }

    @Test
    void aMalformedBodyIsAProtocolErrorAndClosesTheConnection() throws Exception {
        try (Socket s = raw()) {
            handshake(s);
            ByteBuf b = FrameLayout.begin(ByteBufAllocator.DEFAULT, 16, CommandCode.SEND, 0, 2);
            b.writeByte(DestinationType.QUEUE.code()).writeInt(1_000_000); // a destination length beyond the frame
            write(s, FrameLayout.end(b));
            ErrorReply e = readError(s);
            assertEquals(ErrorCode.PROTOCOL_ERROR, e.code());
            assertTrue(e.message().contains("send destination"), e.message());
            assertClosed(s);
        }
        assertBystanderServed();
    }

    @Test
    void anUnknownCommandIsAnsweredAndTheConnectionGoesOn() throws Exception {
        try (Socket s = raw()) {
            handshake(s);
            write(s, FrameLayout.end(FrameLayout.begin(ByteBufAllocator.DEFAULT, 0, (short) 0x7ABC, 0, 5)));
            ErrorReply e = readError(s);
            assertEquals(ErrorCode.UNKNOWN_COMMAND, e.code());
            assertTrue(e.message().contains("0x7abc") && e.message().contains("not known"), e.message());
            write(s, FrameLayout.end(FrameLayout.begin(ByteBufAllocator.DEFAULT, 0, CommandCode.ADMIN_LIST, 0, 6)));
            ByteBuf f = readFrame(s);
            assertEquals(6, f.getInt(FrameLayout.CORRELATION_ID), "the same connection still works");
        }
        assertBystanderServed();
    }

    @Test
    void oversizedMessagesAndBadDestinationsGetClearErrors() throws Exception {
        io.keel.protocol.command.SendCommand big = new io.keel.protocol.command.SendCommand();
        big.destinationType = DestinationType.QUEUE;
        big.destination = "q";
        big.message = Unpooled.wrappedBuffer(new byte[600 * 1024]);
        var f = bystander.request(id -> big.frame(bystander.channel().alloc(), id));
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> f.get(10, TimeUnit.SECONDS));
        var remote = (io.keel.protocol.client.RemoteError) e.getCause();
        assertEquals(ErrorCode.MESSAGE_TOO_LARGE, remote.code());
        assertTrue(remote.getMessage().contains("614400 bytes") && remote.getMessage().contains("524288"), remote.getMessage());
        Subscribe sub = new Subscribe(1, DestinationType.TEMPORARY_QUEUE, "nope", -1, Subscribe.START_EARLIEST, 0, 1, 1);
        var s = bystander.request(id -> sub.frame(bystander.channel().alloc(), id));
        e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> s.get(10, TimeUnit.SECONDS));
        assertEquals(ErrorCode.INVALID_DESTINATION, ((io.keel.protocol.client.RemoteError) e.getCause()).code());
        assertBystanderServed();
    }

    @Test
    void aConsumerThatStopsReadingDoesNotGrowTheBrokerBeyondItsHighWaterMark() throws Exception {
        int highWaterMark = 1024 * 1024;
        try (Socket slow = raw()) {
            slow.setReceiveBufferSize(4096);
            handshake(slow);
            write(slow, new Subscribe(1, DestinationType.QUEUE, "flood", -1, Subscribe.START_EARLIEST, 0, Integer.MAX_VALUE,
                    Long.MAX_VALUE).frame(ByteBufAllocator.DEFAULT, 2));
            readFrame(slow);
            // The slow consumer never reads again. Flood the queue and watch the broker's outbound buffer.
            ProtocolClient producer = TestBrokers.connect(broker);
            io.keel.protocol.command.SendCommand s = new io.keel.protocol.command.SendCommand();
            s.destinationType = DestinationType.QUEUE;
            s.destination = "flood";
            s.producerId = 1;
            byte[] body = new byte[16 * 1024];
            long maxPending = 0;
            for (int i = 0; i < 2000; i++) {
                s.message = Unpooled.wrappedBuffer(body);
                producer.request(id -> s.frame(producer.channel().alloc(), id)).get(10, TimeUnit.SECONDS).release();
                maxPending = Math.max(maxPending, broker.context().pendingOutboundBytes());
            }
            producer.close();
            // One read batch (32 deliveries) may be written past the mark before pushing stops.
            long bound = highWaterMark + 32L * (body.length + 64);
            assertTrue(maxPending <= bound, "outbound buffer reached " + maxPending + " bytes; bound " + bound);
            assertTrue(maxPending > 0, "the flood did reach the slow consumer's connection");
            // Everyone else is still served, including a consumer of the same queue.
            ProtocolClient fast = TestBrokers.connect(broker);
            AtomicInteger got = new AtomicInteger();
            java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
            java.util.List<String> other = new java.util.concurrent.CopyOnWriteArrayList<>();
            fast.onPush(fr -> {
                if (fr.command() == CommandCode.DELIVER) {
                    io.keel.protocol.command.Deliver d = new io.keel.protocol.command.Deliver().decode(fr.body());
                    if (seen.add(d.queueId + ":" + d.queueOffset)) {
                        got.incrementAndGet();
                    } else {
                        other.add("duplicate " + d.queueId + ":" + d.queueOffset);
                    }
                } else {
                    other.add(fr.toString());
                }
                fr.release();
            });
            Subscribe sub = new Subscribe(2, DestinationType.QUEUE, "flood", -1, Subscribe.START_EARLIEST, 0, 5000,
                    Long.MAX_VALUE);
            fast.request(id -> sub.frame(fast.channel().alloc(), id)).get(10, TimeUnit.SECONDS).release();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (got.get() < 2000 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(2000, got.get());
            assertEquals(java.util.List.of(), other, "only deliveries, each once");
            fast.close();
        }
        assertBystanderServed();
    }
}
