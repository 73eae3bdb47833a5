package io.keel.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keel.broker.Broker;
import io.keel.broker.config.BrokerConfig;
import io.keel.broker.destination.Destination;
import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.CreateConsumer;
import io.keel.protocol.message.BodyType;
import io.keel.protocol.message.MessageCodec;
import io.keel.protocol.message.MessageData;
import io.keel.store.AppendCallback;
import io.keel.store.AppendRecord;
import io.keel.store.StoreException;

/**
 * A queue with 1,000,000 pending messages and a consumer whose selector matches one in a thousand:
 * the subscription keeps a bitmap of settled offsets (512 bytes per 4,096 offsets) and one entry per
 * message it has delivered and not settled, so its state stays within a few hundred KiB, and the heap
 * does not grow with the backlog (documented bound: 64 MiB over the run, most of it garbage the JVM may
 * not have collected yet).
 */
class MemoryBoundTest {

    @TempDir
    Path dir;

    @Test
    void aMillionPendingMessagesAndASelectiveConsumerStayWithinTheBound() throws Exception {
        int messages = 1_000_000;
        try (Broker broker = Broker.start(BrokerConfig.defaults().set("dataDir", dir.toString()).set("brokerPort", "0")
                .set("nameServerPort", "0").set("segmentSize", "256m").set("flushMode", "ASYNC_FLUSH")
                .set("ioThreads", "2"))) {
            Destination d = broker.destinations().resolve(DestinationType.QUEUE, "backlog");
            byte[] plain = MessageCodec.encode(new MessageData().setBodyType(BodyType.TEXT).setText("x").setPriority(4)
                    .setProperty("pick", false));
            byte[] picked = MessageCodec.encode(new MessageData().setBodyType(BodyType.TEXT).setText("x").setPriority(4)
                    .setProperty("pick", true));
            CountDownLatch stored = new CountDownLatch(messages);
            AppendCallback done = new AppendCallback() {
                @Override
                public void appended(long physicalOffset, long queueOffset, int size, long storeTimestamp) {
                    stored.countDown();
                }

                @Override
                public void failed(StoreException error) {
                    throw error;
                }
            };
            AppendRecord r = new AppendRecord();
            ByteBuffer plainBuf = ByteBuffer.wrap(plain);
            ByteBuffer pickedBuf = ByteBuffer.wrap(picked);
            int sq = Destination.storeQueueId(0, Destination.DEFAULT_PRIORITY);
            for (int i = 0; i < messages; i++) {
                broker.store().append(r.reset().message(d.key(sq), i % 1000 == 999 ? pickedBuf : plainBuf), done);
            }
            assertTrue(stored.await(120, TimeUnit.SECONDS));
            long heapBefore = usedHeapAfterGc();

            try (ProtocolClient c = ProtocolClient.connect("127.0.0.1", broker.brokerPort(),
                    ProtocolClient.Options.defaults())) {
                JmsConsumerClient consumer = new JmsConsumerClient(c, 1, DestinationType.QUEUE, "backlog",
                        CreateConsumer.KIND_QUEUE, null, "pick = TRUE", 100);
                for (int i = 0; i < messages / 1000; i++) {
                    consumer.ack(consumer.next());
                    consumer.credit(1);
                }
            }
            Subscription s = broker.context().delivery().existingQueueSubscription(d.id());
            QueueCursor cursor = s.cursor(sq);
            long heapAfter = usedHeapAfterGc();
            assertEquals(0, cursor.ackLevel(), "the first message matches nobody, so the watermark stays put");
            assertEquals(messages / 1000, cursor.settledSet().sizeAboveWatermark());
            assertTrue(cursor.settledSet().pages() <= messages / 4096 + 1,
                    "bitmap pages: " + cursor.settledSet().pages());
            assertTrue(cursor.trackedEntries() <= 100, "entries beyond the bitmap: " + cursor.trackedEntries());
            assertEquals(messages - messages / 1000, s.depth(broker.store()), "everything else is still pending");
            long growth = heapAfter - heapBefore;
            System.out.printf("memory bound: %d pending, heap %d -> %d MiB (growth %d KiB), %d bitmap pages%n",
                    messages, heapBefore >> 20, heapAfter >> 20, growth >> 10, cursor.settledSet().pages());
            assertTrue(growth < 64L << 20, "heap grew by " + (growth >> 20) + " MiB");
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
