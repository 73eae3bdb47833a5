package io.keel.broker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.broker.config.BrokerConfig;
import io.keel.broker.consume.ConsumerHub;
import io.keel.broker.destination.DestinationRegistry;
import io.keel.broker.transport.BrokerConnection;
import io.keel.protocol.DestinationType;
import io.keel.protocol.command.Ack;
import io.keel.protocol.command.AdminCommands;
import io.keel.protocol.command.BrokerRegistration;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.Credit;
import io.keel.protocol.command.Deliver;
import io.keel.protocol.command.Handshake;
import io.keel.protocol.command.RouteData;
import io.keel.protocol.command.SendCommand;
import io.keel.protocol.command.Subscribe;
import io.keel.protocol.frame.FrameDecoder;
import io.keel.protocol.frame.FrameLayout;
import io.keel.store.FlushMode;
import io.keel.store.MessageStore;
import io.keel.store.StoreConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Feeds random and mutated frames (100,000 by default, {@code -Dkeel.fuzz.frames=N} for more) through
 * the broker's real pipeline (decoder and connection handler over a real store). No exception may
 * escape the pipeline, every answer must be a well-formed frame, and a connection is either answered,
 * still open for one-way frames, or closed.
 */
class FrameFuzzTest {

    private static final int MAX_FRAME = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void randomAndMutatedFramesNeverEscapeThePipeline() throws Exception {
        int frames = Integer.getInteger("keel.fuzz.frames", 100_000);
        long seed = Long.getLong("keel.fuzz.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        BrokerConfig config = TestBrokers.config(dir).set("maxFrameSize", Integer.toString(MAX_FRAME))
                .set("maxMessageSize", "16k");
        try (MessageStore store = MessageStore.open(new StoreConfig(dir.resolve("store")).segmentSize(4 << 20)
                .maxRecordSize(64 * 1024).flushMode(FlushMode.ASYNC_FLUSH));
                DestinationRegistry registry = new DestinationRegistry(dir.resolve("broker"), store, true, 2)) {
            ConsumerHub hub = new ConsumerHub();
            store.addDispatchListener(hub);
            io.keel.broker.delivery.DeliveryEngine engine = new io.keel.broker.delivery.DeliveryEngine(store, registry,
                    io.keel.broker.delivery.DeliverySettings.defaults(), dir.resolve("broker"), 60_000);
            store.addDispatchListener(engine);
            BrokerContext ctx = new BrokerContext(config, store, registry, hub, engine);
            List<IntFunction<ByteBuf>> valid = validFrames();
            int sent = 0;
            int closed = 0;
            int answered = 0;
            while (sent < frames) {
                EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX_FRAME), new BrokerConnection(ctx));
                if (random.nextInt(10) != 0) {
                    ch.writeInbound(new Handshake.Request(Handshake.VERSION, null, null, null, 10_000)
                            .frame(ByteBufAllocator.DEFAULT, 1));
                    drain(ch, seed);
                }
                int burst = 1 + random.nextInt(20);
                for (int i = 0; i < burst && ch.isActive(); i++, sent++) {
                    ByteBuf frame = valid.get(random.nextInt(valid.size())).apply(2 + i);
                    ByteBuf input = mutate(frame, random);
                    try {
                        ch.writeInbound(input);
                        ch.runPendingTasks();
                        ch.checkException();
                    } catch (Throwable t) {
                        throw new AssertionError("seed " + seed + ": an exception escaped the pipeline on frame "
                                + sent + ": " + t, t);
                    }
                    answered += drain(ch, seed);
                }
                if (!ch.isActive()) {
                    closed++;
                }
                ch.finishAndReleaseAll();
            }
            assertTrue(closed > 0 && answered > 0, "the fuzzer exercised both answers and closes: " + closed + "/" + answered);
        }
    }

    /** Reads every outbound frame; each must be well formed. Returns how many there were. */
    private static int drain(EmbeddedChannel ch, long seed) {
        int n = 0;
        ByteBuf out;
        while ((out = ch.readOutbound()) != null) {
            try {
                while (out.isReadable()) {
                    int length = out.readInt();
                    assertTrue(length >= FrameLayout.HEADER_AFTER_LENGTH && length <= out.readableBytes(),
                            "seed " + seed + ": malformed answer frame of length " + length);
                    out.skipBytes(length);
                    n++;
                }
            } finally {
                out.release();
            }
        }
        return n;
    }

    private static ByteBuf mutate(ByteBuf frame, SplittableRandom r) {
        switch (r.nextInt(8)) {
            case 0 -> {
                return frame; // valid
            }
            case 1 -> { // flip bytes anywhere after the length
                for (int k = 1 + r.nextInt(4); k > 0 && frame.readableBytes() > 4; k--) {
                    int at = 4 + r.nextInt(frame.readableBytes() - 4);
                    frame.setByte(at, frame.getByte(at) ^ (1 + r.nextInt(255)));
                }
                return frame;
            }
            case 2 -> { // truncate the body but keep the length consistent
                int keep = FrameLayout.HEADER_SIZE + r.nextInt(Math.max(1, frame.readableBytes() - FrameLayout.HEADER_SIZE));
                ByteBuf t = frame.copy(0, Math.min(keep, frame.readableBytes()));
                frame.release();
                t.setInt(0, t.readableBytes() - 4);
                return t;
            }
            case 3 -> { // a random command code
                frame.setShort(FrameLayout.COMMAND, r.nextInt(1 << 16));
                return frame;
            }
            case 4 -> { // random flags
                frame.setByte(FrameLayout.FLAGS, r.nextInt(256));
                return frame;
            }
            case 5 -> { // a forged length (too small, too large, or off by a little)
                int[] lengths = {-1, 0, 7, MAX_FRAME + 1, Integer.MAX_VALUE, frame.getInt(0) + 1 + r.nextInt(10)};
                frame.setInt(0, lengths[r.nextInt(lengths.length)]);
                return frame;
            }
            case 6 -> { // pure garbage
                frame.release();
                byte[] g = new byte[r.nextInt(64)];
                r.nextBytes(g);
                return Unpooled.wrappedBuffer(g);
            }
            default -> { // bytes appended inside the body
                ByteBuf t = Unpooled.buffer().writeBytes(frame);
                frame.release();
                byte[] extra = new byte[1 + r.nextInt(16)];
                r.nextBytes(extra);
                t.writeBytes(extra);
                t.setInt(0, t.readableBytes() - 4);
                return t;
            }
        }
    }

    private static List<IntFunction<ByteBuf>> validFrames() {
        ByteBufAllocator a = ByteBufAllocator.DEFAULT;
        List<IntFunction<ByteBuf>> f = new ArrayList<>();
        f.add(id -> {
            SendCommand s = new SendCommand();
            s.destinationType = DestinationType.QUEUE;
            s.destination = "fuzz-" + (id % 3);
            s.producerId = id;
            s.message = Unpooled.wrappedBuffer(new byte[id % 200]);
            return s.frame(a, id);
        });
        f.add(id -> {
            ByteBuf b = FrameLayout.begin(a, 256, CommandCode.SEND_BATCH, 0, id);
            b.writeInt(2);
            SendCommand s = new SendCommand();
            s.destinationType = DestinationType.TOPIC;
            s.destination = "fuzz-topic";
            s.message = Unpooled.wrappedBuffer(new byte[10]);
            s.encodeEntry(b);
            s.encodeEntry(b);
            return FrameLayout.end(b);
        });
        f.add(id -> new Subscribe(id % 4, DestinationType.QUEUE, "fuzz-1", -1, (byte) (id % 3), id, 5, 1 << 20).frame(a, id));
        f.add(id -> new Credit(id % 4, 3, 1 << 20).frame(a));
        f.add(id -> new Ack().clear(id % 4).add(0, 1).add(1, 2).frame(a, id));
        f.add(id -> Credit.closeConsumerFrame(a, id, id % 4));
        f.add(id -> new io.keel.protocol.command.CreateConsumer(10 + id % 4, DestinationType.QUEUE, "fuzz-" + (id % 3),
                io.keel.protocol.command.CreateConsumer.KIND_QUEUE, null, null, false, 5, 1 << 20).frame(a, id));
        f.add(id -> new Ack().clear(10 + id % 4).add(4, 0).add(14, 1).frame(a, id, CommandCode.RELEASE));
        f.add(id -> new Ack().clear(10 + id % 4).add(4, 0).frame(a, id, CommandCode.ACK));
        f.add(id -> RouteData.queryFrame(a, id, DestinationType.QUEUE, "fuzz-0"));
        f.add(id -> new AdminCommands.Target(DestinationType.QUEUE, "fuzz-admin-" + (id % 5), 2).frame(a,
                CommandCode.ADMIN_CREATE, id));
        f.add(id -> new AdminCommands.Target(DestinationType.QUEUE, "fuzz-admin-" + (id % 5), 0).frame(a,
                CommandCode.ADMIN_PURGE, id));
        f.add(id -> AdminCommands.empty(a, CommandCode.ADMIN_LIST, 0, id));
        f.add(id -> AdminCommands.empty(a, CommandCode.ADMIN_STATS, 0, id));
        f.add(id -> AdminCommands.empty(a, CommandCode.HEARTBEAT, FrameLayout.FLAG_ONEWAY, 0));
        f.add(id -> new BrokerRegistration("x", "y:1", true, 1, List.of()).frame(a, id));
        f.add(id -> new Handshake.Request(Handshake.VERSION, "again", null, null, 1000).frame(a, id));
        f.add(id -> Deliver.frame(a, 1, 0, 0, 1, 0, ByteBuffer.wrap(new byte[3])));
        return f;
    }
}
