package io.keel.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.broker.Broker;
import io.keel.broker.config.BrokerConfig;
import io.keel.protocol.DestinationType;
import io.keel.store.AppendRecord;
import io.keel.store.MessageStore;
import io.keel.store.QueueKey;
import io.keel.store.StoreConfig;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.client.RemoteError;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.CreateConsumer;
import io.keel.protocol.command.ErrorCode;
import io.keel.protocol.frame.Frame;
import io.keel.protocol.frame.FrameLayout;
import io.keel.protocol.frame.Wire;
import io.netty.buffer.ByteBuf;

/** Temporary destinations live exactly as long as their connection, and only it consumes from them. */
class TemporaryDestinationTest {

    @TempDir
    Path dir;
    private Broker broker;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = Broker.start(BrokerConfig.defaults().set("dataDir", dir.toString()).set("brokerPort", "0")
                .set("nameServerPort", "0").set("segmentSize", "4m").set("maxMessageSize", "1m").set("ioThreads", "2"));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        broker.close();
    }

    private ProtocolClient connect() {
        ProtocolClient c = ProtocolClient.connect("127.0.0.1", broker.brokerPort(), ProtocolClient.Options.defaults());
        open.add(c);
        return c;
    }

    private static String createTemporaryQueue(ProtocolClient c) throws Exception {
        Frame f = c.request(id -> FrameLayout.end(FrameLayout.begin(c.channel().alloc(), 1, CommandCode.CREATE_TEMPORARY,
                0, id).writeByte(DestinationType.TEMPORARY_QUEUE.code()))).get(10, TimeUnit.SECONDS);
        try {
            return Wire.readString(f.body(), "name");
        } finally {
            f.release();
        }
    }

    private static void delete(ProtocolClient c, String name) throws Exception {
        c.request(id -> {
            ByteBuf b = FrameLayout.begin(c.channel().alloc(), 64, CommandCode.DELETE_TEMPORARY, 0, id);
            b.writeByte(DestinationType.TEMPORARY_QUEUE.code());
            Wire.writeString(b, name);
            return FrameLayout.end(b);
        }).get(10, TimeUnit.SECONDS).release();
    }

    private static void send(ProtocolClient p, String name, String text) throws Exception {
        BrokerTestBase.sendTexts(p, DestinationType.TEMPORARY_QUEUE, name, text);
    }

    private static ErrorCode error(Throwable t) {
        Throwable c = t instanceof ExecutionException ? t.getCause() : t;
        return ((RemoteError) c).code();
    }

    @Test
    void onlyTheCreatingConnectionConsumesAndOthersMaySend() throws Exception {
        ProtocolClient owner = connect();
        ProtocolClient other = connect();
        String name = createTemporaryQueue(owner);
        assertNotEquals(name, createTemporaryQueue(owner), "every temporary destination has its own name");
        send(other, name, "reply");
        JmsConsumerClient c = new JmsConsumerClient(owner, 1, DestinationType.TEMPORARY_QUEUE, name,
                CreateConsumer.KIND_QUEUE, null, null, 10);
        assertEquals("reply", c.next().text());
        ExecutionException e = assertThrows(ExecutionException.class, () -> new JmsConsumerClient(other, 2,
                DestinationType.TEMPORARY_QUEUE, name, CreateConsumer.KIND_QUEUE, null, null, 10));
        assertEquals(ErrorCode.INVALID_DESTINATION, error(e));
        assertTrue(e.getCause().getMessage().contains("only the connection that created"), e.getCause().getMessage());
    }

    @Test
    void deletingFailsWhileItHasConsumersAndThenItIsGone() throws Exception {
        ProtocolClient owner = connect();
        ProtocolClient sender = connect();
        String name = createTemporaryQueue(owner);
        JmsConsumerClient c = new JmsConsumerClient(owner, 1, DestinationType.TEMPORARY_QUEUE, name,
                CreateConsumer.KIND_QUEUE, null, null, 10);
        send(sender, name, "in time"); // the sender's connection now knows the destination
        assertEquals("in time", c.next().text());
        ExecutionException busy = assertThrows(ExecutionException.class, () -> delete(owner, name));
        assertTrue(busy.getCause().getMessage().contains("active consumers"), busy.getCause().getMessage());
        c.closeConsumer();
        delete(owner, name);
        assertEquals(ErrorCode.INVALID_DESTINATION, error(assertThrows(ExecutionException.class,
                () -> send(connect(), name, "too late"))));
        assertEquals(ErrorCode.INVALID_DESTINATION, error(assertThrows(ExecutionException.class,
                () -> send(sender, name, "too late on a connection that sent to it"))));
    }

    @Test
    void itVanishesWhenItsConnectionCloses() throws Exception {
        ProtocolClient owner = ProtocolClient.connect("127.0.0.1", broker.brokerPort(), ProtocolClient.Options.defaults());
        String name = createTemporaryQueue(owner);
        ProtocolClient other = connect();
        send(other, name, "before");
        owner.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ErrorCode code = null;
        while (code == null && System.nanoTime() < deadline) {
            try {
                send(other, name, "after");
                Thread.onSpinWait(); // the broker notices the close asynchronously
            } catch (ExecutionException e) {
                code = error(e);
            }
        }
        assertEquals(ErrorCode.INVALID_DESTINATION, code);
    }

    @Test
    void itsStoreQueueAndFilesAreDeletedWithIt() throws Exception {
        ProtocolClient owner = connect();
        String name = createTemporaryQueue(owner);
        ProtocolClient other = connect();
        send(other, name, "one");
        send(other, name, "two");
        JmsConsumerClient c = new JmsConsumerClient(owner, 1, DestinationType.TEMPORARY_QUEUE, name,
                CreateConsumer.KIND_QUEUE, null, null, 10);
        assertEquals("one", c.next().text());
        QueueKey key = new QueueKey("q:" + name, io.keel.broker.destination.Destination.storeQueueId(0, 4));
        Path files = dir.resolve("store").resolve("consumequeue").resolve("q%3A" + name + "@"
                + io.keel.broker.destination.Destination.storeQueueId(0, 4) + "@00000000000000000000");
        assertTrue(broker.store().hasQueue(key), "the store has the temporary queue's messages");
        assertTrue(Files.isRegularFile(files), files + " exists while the queue does");
        c.closeConsumer();
        delete(owner, name);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((broker.store().hasQueue(key) || Files.exists(files)) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertFalse(broker.store().hasQueue(key), "the store forgot the queue");
        assertFalse(Files.exists(files), "its ConsumeQueue files are gone: " + files);
    }

    @Test
    void storeQueuesOfTemporaryDestinationsDoNotOutliveARestart() throws Exception {
        broker.close();
        QueueKey orphan = new QueueKey("q:ID:left.by.a.crash.1", 4);
        QueueKey kept = new QueueKey("Q:orders", 4);
        try (MessageStore store = MessageStore.open(new StoreConfig(dir.resolve("store")).segmentSize(4 << 20)
                .maxRecordSize(1 << 20).zeroFillSegments(false))) {
            store.append(new AppendRecord().message(orphan, ByteBuffer.wrap(new byte[] {1}))).get();
            store.append(new AppendRecord().message(kept, ByteBuffer.wrap(new byte[] {2}))).get();
        }
        broker = Broker.start(BrokerConfig.defaults().set("dataDir", dir.toString()).set("brokerPort", "0")
                .set("nameServerPort", "0").set("segmentSize", "4m").set("maxMessageSize", "1m").set("ioThreads", "2"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (broker.store().hasQueue(orphan) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertFalse(broker.store().hasQueue(orphan), "a temporary destination's store queue is deleted at start");
        assertTrue(broker.store().hasQueue(kept), "other queues stay");
    }
}
