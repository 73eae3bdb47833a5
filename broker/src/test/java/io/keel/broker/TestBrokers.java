package io.keel.broker;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.keel.broker.config.BrokerConfig;
import io.keel.protocol.DestinationType;
import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.SendCommand;
import io.keel.protocol.command.SendResult;
import io.keel.protocol.frame.Frame;
import io.netty.buffer.Unpooled;

/** In-process brokers on ephemeral ports, and protocol-level helpers for the tests. */
final class TestBrokers {

    private TestBrokers() {
    }

    static BrokerConfig config(Path dataDir) {
        return BrokerConfig.defaults().set("dataDir", dataDir.toString()).set("brokerPort", "0")
                .set("nameServerPort", "0").set("segmentSize", "4m").set("maxMessageSize", "1m")
                .set("registerIntervalMillis", "200").set("heartbeatMillis", "1000").set("ioThreads", "2");
    }

    static ProtocolClient connect(Broker b) {
        return ProtocolClient.connect("127.0.0.1", b.brokerPort(), ProtocolClient.Options.defaults()
                .withRequestTimeoutMillis(15_000));
    }

    static SendResult send(ProtocolClient c, String queue, String text, boolean persistent) throws Exception {
        SendCommand s = new SendCommand();
        s.destinationType = DestinationType.QUEUE;
        s.destination = queue;
        s.producerId = 1;
        s.flags = persistent ? SendCommand.FLAG_PERSISTENT : 0;
        s.message = Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8));
        Frame f = c.request(id -> s.frame(c.channel().alloc(), id)).get(15, TimeUnit.SECONDS);
        try {
            return SendResult.decode(f.body());
        } finally {
            f.release();
        }
    }
}
