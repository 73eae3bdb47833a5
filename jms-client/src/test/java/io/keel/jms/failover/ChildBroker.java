package io.keel.jms.failover;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.keel.broker.Broker;
import io.keel.broker.config.BrokerConfig;

/**
 * A broker in a child JVM that the test kills with SIGKILL: {@link #main} starts it on a data
 * directory and prints its port; {@link #start} launches one and reads the port.
 */
public final class ChildBroker {

    private ChildBroker() {
    }

    public static void main(String[] args) throws Exception {
        Broker b = Broker.start(BrokerConfig.defaults().set("dataDir", args[0]).set("brokerPort", "0")
                .set("embeddedNameServer", "false").set("segmentSize", "4m").set("maxMessageSize", "64k")
                .set("ioThreads", "2").set("snapshotIntervalMillis", "500"));
        System.out.println("PORT " + b.brokerPort());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** A running child broker and its port. */
    record Running(Process process, int port) {
    }

    static Running start(Path dataDir, Path errorLog) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", cp, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                ChildBroker.class.getName(), dataDir.toString());
        pb.redirectError(ProcessBuilder.Redirect.appendTo(new File(errorLog.toString())));
        Process p = pb.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (line == null || !line.startsWith("PORT ")) {
            p.destroyForcibly();
            throw new AssertionError("the child broker did not start: " + line);
        }
        return new Running(p, Integer.parseInt(line.substring(5).trim()));
    }
}
