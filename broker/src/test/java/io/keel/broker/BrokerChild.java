package io.keel.broker;

import java.nio.file.Path;

import io.keel.broker.config.BrokerConfig;

/**
 * The broker process of {@link BrokerCrashTest}: starts on a data directory, prints its port, runs until
 * killed. Small segments and a snapshot every 200 ms, so that kills also land in snapshot writes and
 * retention deletes segments between rounds.
 */
public final class BrokerChild {

    public static void main(String[] args) throws Exception {
        Broker b = Broker.start(BrokerConfig.defaults().set("dataDir", Path.of(args[0]).toString()).set("brokerPort", "0")
                .set("embeddedNameServer", "false").set("segmentSize", "1m").set("maxMessageSize", "64k")
                .set("ioThreads", "2").set("snapshotIntervalMillis", "200")); // snapshots and retention race the kills
        System.out.println("PORT " + b.brokerPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}
