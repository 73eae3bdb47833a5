package io.keel.broker;

import io.keel.protocol.client.ProtocolClient;

/** Lets tests in other packages use {@link TestBrokers}. */
public final class TestBrokersAccess {

    private TestBrokersAccess() {
    }

    public static void send(ProtocolClient c, String queue, String text) throws Exception {
        TestBrokers.send(c, queue, text, true);
    }
}
