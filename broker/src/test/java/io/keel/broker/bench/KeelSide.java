package io.keel.broker.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.keel.broker.Broker;
import io.keel.broker.bench.E2eHarness.Completion;
import io.keel.broker.bench.E2eHarness.SendMode;
import io.keel.broker.bench.E2eHarness.Stats;
import io.keel.broker.config.BrokerConfig;
import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.Ack;
import io.keel.protocol.command.CommandCode;
import io.keel.protocol.command.CreateConsumer;
import io.keel.protocol.command.Credit;
import io.keel.protocol.command.Deliver;
import io.keel.protocol.command.SendCommand;
import io.keel.protocol.command.TxnCommand;
import io.keel.protocol.frame.Frame;
import io.keel.protocol.message.BodyType;
import io.keel.protocol.message.DestinationRef;
import io.keel.protocol.message.MessageCodec;
import io.keel.protocol.message.MessageData;
import io.keel.store.StoreMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Keel's side of the end-to-end benchmark. It does over the raw protocol what a JMS client would
 * ({@link ProtocolClient}, loopback TCP; the JMS-level comparison is {@code KeelVsArtemis} in the
 * samples module): each send encodes a JMS
 * BytesMessage with {@link MessageCodec} (message id, timestamp, destination, delivery mode,
 * priority, 1 KiB body) into a SEND; each consumer is a CREATE_CONSUMER (queue, or durable topic
 * subscription) with a credit window, decodes every DELIVER with {@link MessageCodec}, re-grants
 * credit and acknowledges in batches (DUPS_OK-like: one ACK per {@code bench.ackBatch} deliveries
 * of a consumer, not waited for). The broker runs in this JVM with its defaults (SYNC_FLUSH group
 * commit) after {@link Broker#serviceDefaults()}, on an ephemeral port, without a name server, in a
 * fresh data directory.
 */
final class KeelSide implements E2eHarness.Side {

    private final Broker broker;
    private final Path dir;
    private final StoreMetrics atStart;

    private KeelSide(Broker broker, Path dir) {
        this.broker = broker;
        this.dir = dir;
        this.atStart = broker.store().metrics();
    }

    static KeelSide start(Path base, String label) throws Exception {
        Path dir = Files.createTempDirectory(base, "keel-" + label + "-");
        try {
            BrokerConfig c = BenchBroker.withOverrides(BrokerConfig.defaults().set("dataDir", dir.toString())
                    .set("brokerPort", "0").set("nameServerPort", "0").set("embeddedNameServer", "false"));
            Broker.serviceDefaults(); // as `keel broker` does (Artemis does the same in its acceptor)
            return new KeelSide(Broker.start(c), dir);
        } catch (RuntimeException e) {
            BenchBroker.deleteQuietly(dir);
            throw e;
        }
    }

    @Override
    public String name() {
        return "keel";
    }

    private ProtocolClient connect(String clientId) {
        ProtocolClient.Options o = ProtocolClient.Options.defaults();
        return ProtocolClient.connect("127.0.0.1", broker.brokerPort(), clientId == null ? o : o.withClientId(clientId));
    }

    @Override
    public E2eHarness.Producer producer(int index, boolean persistent, SendMode mode) {
        return new KeelProducer(connect(null), index + 1, persistent, mode == SendMode.TXN);
    }

    @Override
    public AutoCloseable consumers(int index, List<String> destinations, boolean topic, Stats stats) throws Exception {
        ProtocolClient client = connect(topic ? "e2e-sub-" + index : null);
        try {
            return new KeelConsumers(client, destinations, topic, stats);
        } catch (Exception | Error e) {
            client.close();
            throw e;
        }
    }

    @Override
    public String remarks() {
        StoreMetrics m = broker.store().metrics();
        long forces = m.flushes() - atStart.flushes();
        long appends = m.appendedRecords() - atStart.appendedRecords();
        return String.format(Locale.ROOT, "store: %d appends, %d forces (%.1f per force; %d on event loops), mean force %d us, slowest %d us",
                appends, forces, forces == 0 ? 0.0 : (double) appends / forces, m.callerFlushes() - atStart.callerFlushes(),
                m.averageFlushMicros(),
                m.maxFlushMicros());
    }

    @Override
    public void close() {
        try {
            broker.close();
        } finally {
            BenchBroker.retire(dir);
        }
    }

    /** One producer connection; the SEND object and the body are reused by its one thread. */
    private static final class KeelProducer implements E2eHarness.Producer {
        private final ProtocolClient client;
        private final SendCommand command = new SendCommand();
        private final byte[] body = new byte[EndToEndBenchmark.MESSAGE_SIZE];
        private final boolean persistent;
        private final String idPrefix;
        private final ByteBuf encoded = Unpooled.buffer(EndToEndBenchmark.MESSAGE_SIZE + 256);
        private final MessageData message = new MessageData(BodyType.BYTES);
        private final Map<String, DestinationRef> refs = new HashMap<>();
        private long transactions;

        KeelProducer(ProtocolClient client, int producerId, boolean persistent, boolean transacted) {
            this.client = client;
            this.persistent = persistent;
            this.idPrefix = "ID:keel-e2e-" + producerId + "-";
            new SplittableRandom(producerId).nextBytes(body);
            command.producerId = producerId;
            command.flags = persistent ? SendCommand.FLAG_PERSISTENT : 0;
            command.priority(MessageData.DEFAULT_PRIORITY);
        }

        /** Encodes the next message to {@code destination} as a JMS client would and sends it. */
        private CompletableFuture<Frame> send(String destination) {
            boolean topic = destination.startsWith(EndToEndBenchmark.TOPIC_PREFIX);
            command.destinationType = topic ? DestinationType.TOPIC : DestinationType.QUEUE;
            command.destination = destination;
            command.sequence++;
            E2eHarness.stamp(body, System.nanoTime());
            message.setMessageId(idPrefix + command.sequence).setTimestamp(System.currentTimeMillis())
                    .setPersistent(persistent).setPriority(MessageData.DEFAULT_PRIORITY)
                    .setDestination(refs.computeIfAbsent(destination,
                            d -> topic ? DestinationRef.topic(d) : DestinationRef.queue(d)))
                    .setBytes(body);
            encoded.clear();
            MessageCodec.encode(message, encoded);
            command.message = encoded;
            // The frame is built (and the message copied into it) inside request(), on this thread.
            return client.request(id -> command.frame(client.channel().alloc(), id));
        }

        @Override
        public void sendSync(String destination) throws Exception {
            command.transactionId = 0;
            send(destination).get(E2eHarness.TIMEOUT_S, TimeUnit.SECONDS).release();
        }

        @Override
        public void sendAsync(String destination, Completion done) {
            command.transactionId = 0;
            send(destination).whenComplete((f, e) -> {
                if (f != null) {
                    f.release();
                }
                done.done(e);
            });
        }

        /**
         * The sends of one transaction go out without waiting (they are answered once stored,
         * prepared, without a force), then TXN_COMMIT; the connection handles its frames in order.
         */
        @Override
        public void sendTransacted(String destination, int n) throws Exception {
            command.transactionId = ++transactions;
            List<CompletableFuture<Frame>> sends = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                sends.add(send(destination));
            }
            long id = command.transactionId;
            Frame commit = client.request(c -> TxnCommand.frame(client.channel().alloc(), CommandCode.TXN_COMMIT, c, id))
                    .get(E2eHarness.TIMEOUT_S, TimeUnit.SECONDS);
            commit.release();
            for (CompletableFuture<Frame> s : sends) {
                s.get(E2eHarness.TIMEOUT_S, TimeUnit.SECONDS).release();
            }
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /**
     * The consumers of one connection (one per destination, consumer ids 1..n), as one JMS session
     * with a listener per consumer would have them; everything after creation runs on the
     * connection's event loop.
     */
    private static final class KeelConsumers implements AutoCloseable {
        private final ProtocolClient client;
        private final Stats stats;
        private final Deliver deliver = new Deliver();
        /**
         * By consumer id (1..n): an array, not a map of boxed ids, so that the client's per-delivery
         * work does not grow with the number of queues (ids above 127 are not cached Longs).
         */
        private final PerConsumer[] byId;
        private final int ackBatch = EndToEndBenchmark.ACK_BATCH;
        /** ACK requests not answered yet. */
        private final java.util.concurrent.atomic.AtomicInteger unansweredAcks = new java.util.concurrent.atomic.AtomicInteger();

        /** Deliveries of one consumer not yet acknowledged (and not yet re-granted as credit). */
        private static final class PerConsumer {
            final Ack ack = new Ack();
            long bytes;

            PerConsumer(long id) {
                ack.clear(id);
            }
        }

        KeelConsumers(ProtocolClient client, List<String> destinations, boolean topic, Stats stats) throws Exception {
            this.client = client;
            this.stats = stats;
            this.byId = new PerConsumer[destinations.size() + 1];
            for (int i = 0; i < destinations.size(); i++) {
                byId[i + 1] = new PerConsumer(i + 1);
            }
            client.onPush(this::onPush);
            for (int i = 0; i < destinations.size(); i++) {
                long id = i + 1;
                CreateConsumer cc = topic
                        ? new CreateConsumer(id, DestinationType.TOPIC, destinations.get(i), CreateConsumer.KIND_DURABLE,
                                "e2e", null, false, EndToEndBenchmark.CREDIT, Long.MAX_VALUE)
                        : new CreateConsumer(id, DestinationType.QUEUE, destinations.get(i), CreateConsumer.KIND_QUEUE,
                                null, null, false, EndToEndBenchmark.CREDIT, Long.MAX_VALUE);
                client.request(c -> cc.frame(client.channel().alloc(), c)).get(E2eHarness.TIMEOUT_S, TimeUnit.SECONDS)
                        .release();
            }
        }

        private void onPush(Frame frame) {
            try {
                if (frame.command() != CommandCode.DELIVER) {
                    return;
                }
                deliver.decode(frame.body());
                int size = deliver.message.readableBytes();
                MessageData m = MessageCodec.decode(deliver.message);
                stats.received(E2eHarness.stampOf(m.bytes()), deliver.deliveryCount > 1);
                long id = deliver.consumerId;
                PerConsumer c = id > 0 && id < byId.length ? byId[(int) id] : null;
                if (c == null) {
                    stats.error(new IllegalStateException("DELIVER for unknown consumer " + deliver.consumerId));
                    return;
                }
                c.ack.add(deliver.queueId, deliver.queueOffset);
                c.bytes += size;
                if (c.ack.count >= ackBatch) {
                    flush(c);
                }
            } catch (RuntimeException e) {
                stats.error(e);
            } finally {
                frame.release();
            }
        }

        /** Acknowledges the consumer's pending deliveries (not waited for) and grants as much credit again. */
        private void flush(PerConsumer c) {
            int n = c.ack.count;
            unansweredAcks.incrementAndGet();
            client.request(id -> c.ack.frame(client.channel().alloc(), id)).whenComplete((f, e) -> {
                if (f != null) {
                    f.release();
                } else {
                    stats.error(e);
                }
                unansweredAcks.decrementAndGet();
            });
            client.send(new Credit(c.ack.consumerId, n, c.bytes).frame(client.channel().alloc()));
            c.ack.clear(c.ack.consumerId);
            c.bytes = 0;
        }

        @Override
        public void close() {
            // Acknowledge what is left (on the event loop, where the state lives), wait for the
            // answers, then close.
            try {
                client.channel().eventLoop().submit(() -> java.util.Arrays.stream(byId, 1, byId.length).filter(c -> c.ack.count > 0)
                        .forEach(this::flush)).get(E2eHarness.TIMEOUT_S, TimeUnit.SECONDS);
                if (!E2eHarness.await(() -> unansweredAcks.get() == 0, E2eHarness.TIMEOUT_S * 1000)) {
                    stats.error(new IllegalStateException(unansweredAcks.get() + " ACKs unanswered after "
                            + E2eHarness.TIMEOUT_S + " s"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                stats.error(e);
            } finally {
                client.close();
            }
        }
    }
}
