package io.keel.broker;

import java.nio.file.Path;

import io.keel.broker.config.BrokerConfig;

/** The broker process of {@link BrokerCrashTest}: starts on a data directory, prints its port, runs until killed. */
public final class BrokerChild {

    public static void main(String[] args) throws Exception {
        Broker b = Broker.start(BrokerConfig.defaults().set("dataDir", Path.of(args[0]).toString()).set("brokerPort", "0")
                .set("embeddedNameServer", "false").set("segmentSize", "1m").set("maxMessageSize", "64k")
                .set("ioThreads", "2"));
        System.out.println("PORT " + b.brokerPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}
