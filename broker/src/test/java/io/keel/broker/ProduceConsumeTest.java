package io.keel.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.Credit;
import io.keel.protocol.command.Deliver;
import io.keel.protocol.command.SendCommand;
import io.keel.protocol.command.SendResult;
import io.keel.protocol.command.Subscribe;
import io.keel.protocol.frame.Frame;
import io.keel.store.MessageStore;
import io.keel.store.StoreConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

class ProduceConsumeTest {

    @TempDir
    Path dir;
    private Broker broker;
    private final List<ProtocolClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = Broker.start(TestBrokers.config(dir));
    }

    @AfterEach
    void stop() {
        clients.forEach(ProtocolClient::close);
        if (broker != null) {
            broker.close();
        }
    }

    private ProtocolClient client() {
        ProtocolClient c = TestBrokers.connect(broker);
        clients.add(c);
        return c;
    }

    /** Subscribes and collects deliveries as "queueId:offset:text". */
    private BlockingQueue<String> subscribe(ProtocolClient c, long consumerId, String queue, int credit) throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        c.onPush(f -> {
            try {
                if (f.command() == CommandCode.DELIVER) {
                    Deliver d = new Deliver().decode(f.body());
                    got.add(d.queueId + ":" + d.queueOffset + ":" + d.message.toString(StandardCharsets.UTF_8));
                }
            } finally {
                f.release();
            }
        });
        Subscribe s = new Subscribe(consumerId, DestinationType.QUEUE, queue, -1, Subscribe.START_EARLIEST, 0, credit,
                Long.MAX_VALUE);
        c.request(id -> s.frame(c.channel().alloc(), id)).get(10, TimeUnit.SECONDS).release();
        return got;
    }

    @Test
    void sentMessagesAreDeliveredInOrderWithTheirBytes() throws Exception {
        ProtocolClient producer = client();
        for (int i = 0; i < 50; i++) {
            SendResult r = TestBrokers.send(producer, "orders", "m" + i, i % 2 == 0);
            assertEquals(i, r.queueOffset(), "one producer sticks to one queue id");
        }
        BlockingQueue<String> got = subscribe(client(), 1, "orders", 1000);
        for (int i = 0; i < 50; i++) {
            String d = got.poll(10, TimeUnit.SECONDS);
            assertTrue(d != null && d.endsWith(":" + i + ":m" + i), "delivery " + i + ": " + d);
        }
    }

    /**
     * A lone synchronous producer's persistent sends are forced by the I/O thread that read them
     * (forceOnEventLoop, the default), and by the flusher thread alone when that is turned off; either
     * way, and with either write mode, each is answered once forced and is then delivered.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"true, FILE_CHANNEL", "false, FILE_CHANNEL", "true, MMAP", "false, MMAP"})
    void persistentSendsAreForcedOnTheEventLoopOnlyWhenForceOnEventLoopIsOn(boolean forceOnEventLoop, String writeMode)
            throws Exception {
        broker.close();
        broker = Broker.start(TestBrokers.config(dir.resolve(writeMode + forceOnEventLoop))
                .set("forceOnEventLoop", Boolean.toString(forceOnEventLoop)).set("writeMode", writeMode));
        ProtocolClient producer = client();
        long before = broker.store().metrics().callerFlushes();
        for (int i = 0; i < 30; i++) {
            TestBrokers.send(producer, "forced", "m" + i, true);
        }
        long onEventLoop = broker.store().metrics().callerFlushes() - before;
        if (forceOnEventLoop) {
            // The flusher's idle wake-up may take one now and then; most are forced where they were read.
            assertTrue(onEventLoop >= 20, "forces on the event loop: " + onEventLoop + " of 30 sends");
        } else {
            assertEquals(0, onEventLoop);
        }
        BlockingQueue<String> got = subscribe(client(), 3, "forced", 100);
        for (int i = 0; i < 30; i++) {
            String d = got.poll(10, TimeUnit.SECONDS);
            assertTrue(d != null && d.endsWith(":" + i + ":m" + i), "delivery " + i + ": " + d);
        }
    }

    @Test
    void anEmptyQueueWakesTheConsumerWhenAMessageArrives() throws Exception {
        BlockingQueue<String> got = subscribe(client(), 7, "empty-at-first", 10);
        assertNull(got.poll(200, TimeUnit.MILLISECONDS), "nothing to deliver yet");
        TestBrokers.send(client(), "empty-at-first", "hello", true);
        String d = got.poll(10, TimeUnit.SECONDS);
        assertTrue(d != null && d.endsWith(":hello"), String.valueOf(d));
    }

    @Test
    void creditLimitsWhatIsPushedUntilMoreIsGranted() throws Exception {
        ProtocolClient producer = client();
        for (int i = 0; i < 20; i++) {
            TestBrokers.send(producer, "credited", "m" + i, false);
        }
        ProtocolClient consumer = client();
        BlockingQueue<String> got = subscribe(consumer, 3, "credited", 5);
        for (int i = 0; i < 5; i++) {
            assertTrue(got.poll(10, TimeUnit.SECONDS) != null);
        }
        // A round trip on the same connection proves the broker pushed nothing more.
        TestBrokers.send(consumer, "other", "x", false);
        assertEquals(0, got.size(), "no delivery beyond the credit");
        consumer.send(new Credit(3, 15, Long.MAX_VALUE).frame(consumer.channel().alloc()));
        for (int i = 5; i < 20; i++) {
            String d = got.poll(10, TimeUnit.SECONDS);
            assertTrue(d != null && d.endsWith(":m" + i), String.valueOf(d));
        }
    }

    @Test
    void asyncSendsCompleteInSendOrder() throws Exception {
        ProtocolClient producer = client();
        List<CompletableFuture<Frame>> futures = new ArrayList<>();
        SendCommand s = new SendCommand();
        s.destinationType = DestinationType.QUEUE;
        s.destination = "async";
        s.producerId = 9;
        s.flags = SendCommand.FLAG_PERSISTENT;
        for (int i = 0; i < 500; i++) {
            s.message = Unpooled.wrappedBuffer(("m" + i).getBytes(StandardCharsets.UTF_8));
            futures.add(producer.request(id -> s.frame(producer.channel().alloc(), id)));
        }
        for (int i = 0; i < futures.size(); i++) {
            Frame f = futures.get(i).get(10, TimeUnit.SECONDS);
            assertEquals(i, SendResult.decode(f.body()).queueOffset());
            f.release();
        }
    }

    @Test
    void batchSendAnswersEachEntry() throws Exception {
        ProtocolClient producer = client();
        SendCommand s = new SendCommand();
        ByteBuf b = io.keel.protocol.frame.FrameLayout.begin(producer.channel().alloc(), 4096, CommandCode.SEND_BATCH, 0, 0);
        b.writeInt(3);
        for (int i = 0; i < 3; i++) {
            s.destinationType = DestinationType.QUEUE;
            s.destination = i == 1 ? "" + "x".repeat(300) : "batched";
            s.producerId = 4;
            s.message = Unpooled.wrappedBuffer(new byte[] {(byte) i});
            s.encodeEntry(b);
        }
        io.keel.protocol.frame.FrameLayout.end(b);
        b.setInt(io.keel.protocol.frame.FrameLayout.CORRELATION_ID, 0);
        Frame f = producer.request(id -> {
            b.setInt(io.keel.protocol.frame.FrameLayout.CORRELATION_ID, id);
            return b;
        }).get(10, TimeUnit.SECONDS);
        List<SendResult.BatchEntry> entries = SendResult.decodeBatch(f.body());
        f.release();
        assertEquals(3, entries.size());
        assertEquals(0, entries.get(0).result().queueOffset());
        assertTrue(entries.get(1).error().message().contains("maximum of 198"), entries.get(1).error().message());
        assertEquals(1, entries.get(2).result().queueOffset());
    }

    @Test
    void gracefulShutdownLeavesAStoreThatReopensWithoutACrashScan() throws Exception {
        TestBrokers.send(client(), "durable", "kept", true);
        broker.close();
        broker = null;
        assertFalse(Files.exists(dir.resolve("store").resolve("abort")));
        try (MessageStore store = MessageStore.open(new StoreConfig(dir.resolve("store")).segmentSize(4 << 20).maxRecordSize(1 << 20))) {
            assertFalse(store.recoveryReport().crashed());
            assertFalse(store.recoveryReport().scanned());
        }
        broker = Broker.start(TestBrokers.config(dir));
        BlockingQueue<String> got = subscribe(client(), 1, "durable", 10);
        String d = got.poll(10, TimeUnit.SECONDS);
        assertTrue(d != null && d.endsWith(":kept"), "the destination and its message survive a restart: " + d);
    }
}
