package io.keel.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.keel.broker.destination.Destination;
import io.keel.broker.destination.DestinationId;
import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.CreateConsumer;

/**
 * A consumer that creates its queue is answered once the queue's ConsumeQueue file exists, so that
 * the queue's first messages are not held up by the dispatcher creating it (Destination#storageReady).
 * The store's files thread is kept busy with other queues first, so that the answer would come
 * before the file without the wait.
 */
class NewQueueReadinessTest extends BrokerTestBase {

    private static final int BACKLOG = 2_000;

    /** Queues whose files the store's files thread creates one by one before any queue declared after them. */
    private void busyFilesThread(String prefix) {
        for (int i = 0; i < BACKLOG; i++) {
            broker.context().destinations().resolve(DestinationType.QUEUE, prefix + i);
        }
    }

    private boolean consumeQueueFileExists(String queue) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("store").resolve("consumequeue"))) {
            return files.anyMatch(f -> f.getFileName().toString().contains(queue + "@"));
        }
    }

    @Test
    void aConsumerThatCreatesItsQueueIsAnsweredOnceTheQueueHasItsFile() throws Exception {
        busyFilesThread("ahead-");
        JmsConsumerClient c = new JmsConsumerClient(connect(), 1, "fresh", 10);
        open.add(c);
        assertTrue(consumeQueueFileExists("fresh"), "the queue's ConsumeQueue file exists when its consumer is answered");
        sendTexts(connect(), DestinationType.QUEUE, "fresh", "first");
        assertEquals("first", c.next().text());
    }

    @Test
    void aConnectionThatEndsBeforeTheAnswerLeavesNoConsumerBehind() throws Exception {
        busyFilesThread("ahead-");
        ProtocolClient p = connect();
        CreateConsumer cc = new CreateConsumer(1, DestinationType.QUEUE, "orphan", CreateConsumer.KIND_QUEUE, null, null,
                false, 10, Long.MAX_VALUE);
        java.util.concurrent.CompletableFuture<io.keel.protocol.frame.Frame> unanswered =
                p.request(id -> cc.frame(p.channel().alloc(), id));
        Destination d = awaitDestination("orphan");
        Subscription s = broker.context().delivery().queueSubscription(d);
        awaitTrue(() -> s.consumers().size() == 1, "the consumer is open, waiting for the queue's file");
        if (unanswered.isDone()) {
            assertTrue(consumeQueueFileExists("orphan"), "no answer before the queue's file exists");
        }
        p.close();
        awaitTrue(() -> s.consumers().isEmpty(), "the ended connection's consumer is closed");
        sendTexts(connect(), DestinationType.QUEUE, "orphan", "kept");
        JmsConsumerClient next = new JmsConsumerClient(connect(), 1, "orphan", 10);
        open.add(next);
        assertEquals("kept", next.next().text(), "nothing is held by the consumer of the ended connection");
    }

    private Destination awaitDestination(String queue) throws InterruptedException {
        Destination[] found = new Destination[1];
        awaitTrue(() -> (found[0] = broker.context().destinations().get(
                new DestinationId(DestinationType.QUEUE, queue))) != null,
                queue + " exists");
        return found[0];
    }
}
