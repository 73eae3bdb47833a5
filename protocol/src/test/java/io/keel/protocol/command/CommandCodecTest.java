package io.keel.protocol.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.keel.protocol.DestinationType;
import io.keel.protocol.frame.Frame;
import io.keel.protocol.frame.FrameDecoder;
import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.ProtocolViolation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/** Every command encodes to a frame that decodes back to the same values. */
class CommandCodecTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    /** Runs the encoded frame through the real decoder and returns the single frame it yields. */
    static Frame roundTrip(ByteBuf encoded) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(FrameLayout.DEFAULT_MAX_FRAME_SIZE));
        ch.writeInbound(encoded);
        Frame f = ch.readInbound();
        assertEquals(null, (Object) ch.readInbound(), "exactly one frame");
        ch.finishAndReleaseAll();
        return f;
    }

    private static <T> T decode(ByteBuf encoded, short command, int flags, int id, Function<ByteBuf, T> decoder) {
        Frame f = roundTrip(encoded);
        try {
            assertEquals(command, f.command());
            assertEquals(flags, f.flags());
            assertEquals(id, f.correlationId());
            return decoder.apply(f.body());
        } finally {
            f.release();
        }
    }

    @Test
    void handshakeRequestAndResponse() {
        for (Handshake.Request r : List.of(new Handshake.Request(Handshake.VERSION, "client-1", "j2ee", "j2ee", 10_000),
                new Handshake.Request((short) 7, null, null, null, 0),
                new Handshake.Request(Handshake.VERSION, "ü𝄞", "", "p@ss", -1))) {
            assertEquals(r, decode(r.frame(ALLOC, 42), CommandCode.HANDSHAKE, 0, 42, Handshake.Request::decode));
        }
        Handshake.Response resp = new Handshake.Response(Handshake.VERSION, "broker-a", 10_000, 1 << 24, Long.MAX_VALUE);
        assertEquals(resp, decode(resp.frame(ALLOC, 1), CommandCode.HANDSHAKE, FrameLayout.FLAG_RESPONSE, 1,
                Handshake.Response::decode));
    }

    @Test
    void handshakeWithAForeignMagicIsAViolation() {
        ByteBuf b = new Handshake.Request(Handshake.VERSION, null, null, null, 0).frame(ALLOC, 1);
        b.setInt(FrameLayout.HEADER_SIZE, 0x48545450); // "HTTP"
        Frame f = roundTrip(b);
        try {
            assertThrows(ProtocolViolation.class, () -> Handshake.Request.decode(f.body()));
        } finally {
            f.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1000, 70_000})
    void sendEntryRoundTripsWithEveryField(int size) {
        SendCommand s = new SendCommand();
        s.destinationType = DestinationType.TOPIC;
        s.destination = "prices.€";
        s.queueId = 3;
        s.producerId = -5;
        s.sequence = Long.MAX_VALUE;
        s.flags = SendCommand.FLAG_PERSISTENT;
        s.deliveryTime = 1_700_000_000_123L;
        s.transactionId = 0xABCDEFL;
        byte[] message = new byte[size];
        for (int i = 0; i < size; i++) {
            message[i] = (byte) (i * 31);
        }
        s.message = Unpooled.wrappedBuffer(message);
        Frame f = roundTrip(s.frame(ALLOC, 9));
        try {
            SendCommand d = new SendCommand().decodeEntry(f.body());
            assertEquals(DestinationType.TOPIC, d.destinationType);
            assertEquals("prices.€", d.destination);
            assertEquals(3, d.queueId);
            assertEquals(-5, d.producerId);
            assertEquals(Long.MAX_VALUE, d.sequence);
            assertEquals(true, d.persistent());
            assertEquals(1_700_000_000_123L, d.deliveryTime);
            assertEquals(0xABCDEFL, d.transactionId);
            byte[] got = new byte[d.message.readableBytes()];
            d.message.readBytes(got);
            assertArrayEquals(message, got);
        } finally {
            f.release();
        }
    }

    @Test
    void anEntryDecodedInPlaceSaysWhereItsMessageIsAndLeavesTheBodyAfterIt() {
        SendCommand s = new SendCommand();
        s.destinationType = DestinationType.QUEUE;
        s.destination = "orders";
        s.queueId = 0;
        s.sequence = 42;
        byte[] first = "first message".getBytes(StandardCharsets.UTF_8);
        byte[] second = "second, longer message".getBytes(StandardCharsets.UTF_8);
        ByteBuf b = FrameLayout.begin(ALLOC, 256, CommandCode.SEND_BATCH, 0, 3);
        b.writeInt(2);
        s.message = Unpooled.wrappedBuffer(first);
        s.encodeEntry(b);
        s.sequence = 43;
        s.message = Unpooled.wrappedBuffer(second);
        s.encodeEntry(b);
        Frame f = roundTrip(FrameLayout.end(b));
        try {
            ByteBuf body = f.body();
            assertEquals(2, SendCommand.readBatchCount(body));
            SendCommand d = new SendCommand();
            for (byte[] expected : List.of(first, second)) {
                d.decodeEntryInPlace(body);
                assertEquals(null, d.message, "no slice");
                assertEquals(expected.length, d.messageLength);
                byte[] got = new byte[d.messageLength];
                body.getBytes(d.messageIndex, got);
                assertArrayEquals(expected, got);
                assertEquals(d.messageIndex + d.messageLength, body.readerIndex(), "the body is read past the message");
            }
            assertEquals(43, d.sequence);
            assertEquals(0, body.readableBytes());
        } finally {
            f.release();
        }
    }

    @Test
    void repeatedDestinationIsDecodedOnce() {
        SendCommand s = new SendCommand();
        s.destinationType = DestinationType.QUEUE;
        s.destination = "same";
        s.message = Unpooled.wrappedBuffer(new byte[] {1});
        SendCommand reused = new SendCommand();
        Frame f1 = roundTrip(s.frame(ALLOC, 1));
        Frame f2 = roundTrip(s.frame(ALLOC, 2));
        String first = reused.decodeEntry(f1.body()).destination;
        String second = reused.decodeEntry(f2.body()).destination;
        assertEquals("same", second);
        assertEquals(true, first == second, "the String of a repeated destination is reused");
        f1.release();
        f2.release();
    }

    @Test
    void sendResultsSingleAndBatch() {
        SendResult r = decode(SendResult.frame(ALLOC, 5, 2, 77, 123), CommandCode.SEND, FrameLayout.FLAG_RESPONSE, 5,
                SendResult::decode);
        assertEquals(new SendResult(2, 77, 123), r);
        ByteBuf b = FrameLayout.begin(ALLOC, 64, CommandCode.SEND_BATCH, FrameLayout.FLAG_RESPONSE, 6);
        b.writeInt(2);
        SendResult.writeBatchOk(b, 1, 2, 3);
        SendResult.writeBatchError(b, ErrorCode.STORE_FULL, "full");
        List<SendResult.BatchEntry> entries = decode(FrameLayout.end(b), CommandCode.SEND_BATCH,
                FrameLayout.FLAG_RESPONSE, 6, SendResult::decodeBatch);
        assertEquals(new SendResult(1, 2, 3), entries.get(0).result());
        assertEquals(new ErrorReply(ErrorCode.STORE_FULL, "full"), entries.get(1).error());
    }

    @Test
    void deliverCarriesTheStoredBytes() {
        ByteBuffer payload = ByteBuffer.wrap("payload".getBytes(StandardCharsets.UTF_8));
        Frame f = roundTrip(Deliver.frame(ALLOC, 11, 2, 99, 3, 1234, payload));
        assertEquals(CommandCode.DELIVER, f.command());
        assertEquals(FrameLayout.FLAG_ONEWAY, f.flags());
        Deliver d = new Deliver().decode(f.body());
        assertEquals(11, d.consumerId);
        assertEquals(2, d.queueId);
        assertEquals(99, d.queueOffset);
        assertEquals(3, d.deliveryCount);
        assertEquals(1234, d.storeTimestamp);
        assertEquals("payload", d.message.toString(StandardCharsets.UTF_8));
        assertEquals(0, payload.position(), "the source buffer is not consumed");
        f.release();
    }

    @Test
    void consumerCommands() {
        Subscribe s = new Subscribe(3, DestinationType.QUEUE, "q", -1, Subscribe.START_AT_OFFSET, 17, 100, 1 << 20);
        assertEquals(s, decode(s.frame(ALLOC, 4), CommandCode.SUBSCRIBE, 0, 4, Subscribe::decode));
        List<Subscribe.Position> positions = List.of(new Subscribe.Position(0, 5), new Subscribe.Position(1, 0));
        assertEquals(positions, decode(Subscribe.responseFrame(ALLOC, 4, positions), CommandCode.SUBSCRIBE,
                FrameLayout.FLAG_RESPONSE, 4, Subscribe::decodeResponse));
        Credit c = new Credit(3, 10, 4096);
        assertEquals(c, decode(c.frame(ALLOC), CommandCode.CREDIT, FrameLayout.FLAG_ONEWAY, 0, Credit::decode));
        assertEquals(3L, decode(Credit.closeConsumerFrame(ALLOC, 8, 3), CommandCode.CLOSE_CONSUMER, 0, 8,
                Credit::decodeCloseConsumer));
        assertEquals(new Credit.Close(3, false), decode(Credit.closeConsumerFrame(ALLOC, 8, 3), CommandCode.CLOSE_CONSUMER,
                0, 8, Credit::decodeClose), "without the flags byte: counted");
        assertEquals(new Credit.Close(3, true), decode(Credit.closeConsumerFrame(ALLOC, 8, 3, Credit.CLOSE_UNSEEN),
                CommandCode.CLOSE_CONSUMER, 0, 8, Credit::decodeClose));
        Ack a = new Ack().clear(3);
        for (int i = 0; i < 40; i++) {
            a.add(i % 4, i * 10L);
        }
        Ack back = decode(a.frame(ALLOC, 2), CommandCode.ACK, 0, 2, b -> new Ack().decode(b));
        assertEquals(40, back.count);
        assertEquals(3, back.consumerId);
        assertEquals(390L, back.queueOffsets[39]);
        assertEquals(3, back.queueIds[39]);
    }

    @Test
    void routingAndRegistration() {
        assertEquals(new RouteData.Query(DestinationType.TOPIC, "t"), decode(RouteData.queryFrame(ALLOC, 1,
                DestinationType.TOPIC, "t"), CommandCode.ROUTE_QUERY, 0, 1, RouteData::decodeQuery));
        RouteData routes = new RouteData(List.of(new RouteData.BrokerRoute("a", "127.0.0.1:10911", 4),
                new RouteData.BrokerRoute("b", "10.0.0.2:10911", 8)));
        assertEquals(routes, decode(routes.responseFrame(ALLOC, 1), CommandCode.ROUTE_QUERY, FrameLayout.FLAG_RESPONSE, 1,
                RouteData::decode));
        BrokerRegistration reg = new BrokerRegistration("a", "127.0.0.1:10911", true, 4, List.of(
                new BrokerRegistration.Entry(DestinationType.QUEUE, "q", 4),
                new BrokerRegistration.Entry(DestinationType.TOPIC, "t", 2)));
        assertEquals(reg, decode(reg.frame(ALLOC, 3), CommandCode.BROKER_REGISTER, 0, 3, BrokerRegistration::decode));
        assertEquals("a", decode(BrokerRegistration.unregisterFrame(ALLOC, 4, "a"), CommandCode.BROKER_UNREGISTER, 0, 4,
                BrokerRegistration::decodeUnregister));
    }

    @Test
    void adminCommandsAndErrors() {
        AdminCommands.Target t = new AdminCommands.Target(DestinationType.QUEUE, "orders", 8);
        assertEquals(t, decode(t.frame(ALLOC, CommandCode.ADMIN_CREATE, 1), CommandCode.ADMIN_CREATE, 0, 1,
                b -> AdminCommands.Target.decode(b, CommandCode.ADMIN_CREATE)));
        assertEquals(new AdminCommands.Target(DestinationType.QUEUE, "orders", 0), decode(t.frame(ALLOC,
                CommandCode.ADMIN_DELETE, 1), CommandCode.ADMIN_DELETE, 0, 1, b -> AdminCommands.Target.decode(b,
                CommandCode.ADMIN_DELETE)));
        List<AdminCommands.DestinationInfo> list = List.of(new AdminCommands.DestinationInfo(DestinationType.TOPIC, "t",
                2, 10, 1, 99, 3, 7, 5));
        assertEquals(list, decode(AdminCommands.listResponse(ALLOC, 1, list), CommandCode.ADMIN_LIST,
                FrameLayout.FLAG_RESPONSE, 1, AdminCommands::decodeList));
        List<AdminCommands.SubscriptionInfo> subs = List.of(new AdminCommands.SubscriptionInfo(DestinationType.TOPIC,
                "prices", "durable", "audit", "client-1", "region = 'EU'", 12, 3, 1, 2, 4),
                new AdminCommands.SubscriptionInfo(DestinationType.QUEUE, "orders", "queue", null, null, null, 0, 0, 0, 0, 0));
        assertEquals(subs, decode(AdminCommands.subscriptionsResponse(ALLOC, 2, subs), CommandCode.ADMIN_SUBSCRIPTIONS,
                FrameLayout.FLAG_RESPONSE, 2, AdminCommands::decodeSubscriptions));
        Map<String, String> stats = Map.of("k", "v");
        assertEquals(stats, decode(AdminCommands.statsResponse(ALLOC, 1, stats), CommandCode.ADMIN_STATS,
                FrameLayout.FLAG_RESPONSE, 1, AdminCommands::decodeStats));
        assertEquals(new ErrorReply(ErrorCode.INVALID_DESTINATION, "no such queue"), decode(ErrorReply.frame(ALLOC,
                CommandCode.SEND, 3, ErrorCode.INVALID_DESTINATION, "no such queue"), CommandCode.SEND,
                FrameLayout.FLAG_RESPONSE | FrameLayout.FLAG_ERROR, 3, ErrorReply::decode));
        for (ErrorCode e : ErrorCode.values()) {
            assertEquals(e, ErrorCode.of(e.code()));
        }
        assertEquals(ErrorCode.INTERNAL, ErrorCode.of((short) 999), "a newer peer's unknown code degrades to INTERNAL");
    }

    @Test
    void forgedLengthsAndCountsAreViolationsNotAllocations() {
        ByteBuf body = Unpooled.buffer().writeLong(1).writeInt(Integer.MAX_VALUE);
        assertThrows(ProtocolViolation.class, () -> new Ack().decode(body));
        ByteBuf str = Unpooled.buffer().writeInt(1_000_000).writeByte(1);
        assertThrows(ProtocolViolation.class, () -> io.keel.protocol.frame.Wire.readString(str, "x"));
        ByteBuf trailing = new Credit(1, 1, 1).frame(ALLOC);
        Frame f = roundTrip(trailing);
        ByteBuf longer = Unpooled.buffer().writeBytes(f.body()).writeByte(0);
        f.release();
        assertThrows(ProtocolViolation.class, () -> Credit.decode(longer), "trailing bytes are refused");
    }
}
