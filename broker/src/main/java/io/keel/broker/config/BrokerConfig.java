package io.keel.broker.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import io.keel.protocol.frame.FrameLayout;
import io.keel.store.FlushMode;

/**
 * Broker configuration: every key with its default and meaning in {@link #KEYS}, read from a
 * properties file and overridden by command-line {@code --set key=value}. Sizes accept k, m and g
 * suffixes. Unknown keys and bad values are refused with a message naming the key.
 */
public final class BrokerConfig {

    /** A documented key. */
    public record Key(String name, String defaultValue, String description) {
    }

    public static final List<Key> KEYS = List.of(
            new Key("dataDir", "", "data directory; empty = <keel home>/data (bin/keel) or ./data"),
            new Key("brokerName", "broker-a", "name of this broker, unique in the cluster"),
            new Key("listenAddress", "127.0.0.1", "address every port binds to (0.0.0.0 for all interfaces)"),
            new Key("advertisedAddress", "", "host clients are told to use; empty = listenAddress"),
            new Key("brokerPort", "10911", "client port of the broker"),
            new Key("nameServerPort", "9876", "port of the embedded (or standalone) name server"),
            new Key("haPort", "10912", "replication port (reserved for master/slave replication)"),
            new Key("embeddedNameServer", "true", "run a name server inside the broker (standalone mode)"),
            new Key("nameServers", "", "host:port list of name servers to register with; empty = the embedded one"),
            new Key("registerIntervalMillis", "30000", "how often the broker registers with every name server"),
            new Key("brokerExpiryMillis", "120000", "a name server drops a broker silent for this long"),
            new Key("flushMode", "SYNC_FLUSH", "SYNC_FLUSH (group commit before answering persistent sends) or ASYNC_FLUSH"),
            new Key("forceOnEventLoop", "true", "SYNC_FLUSH: while forces carry about one send each, the I/O thread "
                    + "that read a persistent send forces it itself (no hand-off to the flusher thread and back); "
                    + "false = always the flusher"),
            new Key("writeMode", "FILE_CHANNEL", "how records reach the CommitLog: FILE_CHANNEL (positional writes; "
                    + "forces cost about half as much under concurrent producers) or MMAP (copies into mapped segments; "
                    + "faster for many small non-persistent or ASYNC_FLUSH records)"),
            new Key("segmentSize", "1g", "CommitLog segment size (fixed when the data directory is created)"),
            new Key("maxMessageSize", "4m", "largest encoded message a producer may send"),
            new Key("maxFrameSize", Integer.toString(FrameLayout.DEFAULT_MAX_FRAME_SIZE), "largest frame accepted from a peer"),
            new Key("autoCreateDestinations", "true", "create a destination on its first use"),
            new Key("defaultQueueCount", "1", "queue ids of a destination created on first use"),
            new Key("heartbeatMillis", "10000", "heartbeat interval; a peer silent for 3 intervals is disconnected"),
            new Key("writeBufferHighWaterMark", "1m", "outbound bytes per connection above which the broker stops pushing and reading"),
            new Key("writeBufferLowWaterMark", "256k", "outbound bytes per connection below which it resumes"),
            new Key("diskUsageLimit", "0.90", "disk usage above which sends fail with 'store full'"),
            new Key("ioThreads", "0", "Netty I/O threads; 0 = twice the number of cores (Netty's default)"),
            new Key("snapshotIntervalMillis", "60000", "how often the delivery state is snapshotted and the CommitLog below "
                    + "every consumer, timer and open transaction is deleted"),
            new Key("duplicateWindowMillis", "600000", "how long the broker remembers an idle producer's last sequence to "
                    + "drop its resends after a failover (must exceed the clients' reconnectTimeout)"),
            new Key("usersFile", "", "users file (keel users add); empty = authentication off, every connection "
                    + "accepted; relative = to the config file's directory (to the working directory with --set)"),
            new Key("allowAnonymous", "true", "with a usersFile: accept connections that give no user name"));

    private final Map<String, String> values = new LinkedHashMap<>();

    private BrokerConfig() {
        for (Key k : KEYS) {
            values.put(k.name(), k.defaultValue());
        }
    }

    /** The defaults. */
    public static BrokerConfig defaults() {
        return new BrokerConfig();
    }

    /** Defaults, then {@code file} (if not null), then {@code overrides} in order. */
    public static BrokerConfig load(Path file, List<String> overrides) throws IOException {
        BrokerConfig c = new BrokerConfig();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            for (String name : p.stringPropertyNames()) {
                c.set(name, p.getProperty(name).trim(), "config file " + file);
            }
            // A users file named in a config file sits next to it, wherever the broker is started from.
            String users = c.values.get("usersFile");
            if (p.containsKey("usersFile") && !users.isEmpty() && !Path.of(users).isAbsolute()) {
                Path dir = file.toAbsolutePath().getParent();
                c.values.put("usersFile", dir.resolve(users).normalize().toString());
            }
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("override '" + o + "' is not of the form key=value");
            }
            c.set(o.substring(0, eq).trim(), o.substring(eq + 1).trim(), "--set");
        }
        c.validate();
        return c;
    }

    /** Sets one key (for tests and programmatic use); unknown keys are refused. */
    public BrokerConfig set(String key, String value) {
        set(key, value, "set()");
        return this;
    }

    private void set(String key, String value, String source) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException(source + ": unknown broker config key '" + key + "' (known keys: "
                    + String.join(", ", values.keySet()) + ")");
        }
        values.put(key, value);
    }

    /** Checks every value; throws IllegalArgumentException naming the key. */
    public BrokerConfig validate() {
        for (String k : List.of("brokerPort", "nameServerPort", "haPort")) {
            int p = intValue(k);
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("broker config: " + k + "=" + p + " is not a port (0-65535)");
            }
        }
        flushMode();
        writeMode();
        boolValue("forceOnEventLoop");
        positive("registerIntervalMillis");
        positive("brokerExpiryMillis");
        positive("defaultQueueCount");
        positive("heartbeatMillis");
        positive("snapshotIntervalMillis");
        positive("duplicateWindowMillis");
        if (maxMessageSize() + 64 * 1024 > maxFrameSize()) {
            throw new IllegalArgumentException("broker config: maxFrameSize (" + maxFrameSize()
                    + ") must exceed maxMessageSize (" + maxMessageSize() + ") by at least 64 KiB");
        }
        if (writeBufferLowWaterMark() > writeBufferHighWaterMark()) {
            throw new IllegalArgumentException("broker config: writeBufferLowWaterMark must not exceed writeBufferHighWaterMark");
        }
        double d = diskUsageLimit();
        if (d <= 0 || d > 1) {
            throw new IllegalArgumentException("broker config: diskUsageLimit=" + d + " must be within (0, 1]");
        }
        boolean anonymous = boolValue("allowAnonymous");
        if (!anonymous && usersFile() == null) {
            throw new IllegalArgumentException("broker config: allowAnonymous=false needs a usersFile "
                    + "(without one authentication is off and every connection is accepted)");
        }
        if (brokerName().isEmpty()) {
            throw new IllegalArgumentException("broker config: brokerName must not be empty");
        }
        return this;
    }

    private void positive(String key) {
        if (longValue(key) <= 0) {
            throw new IllegalArgumentException("broker config: " + key + " must be positive, got " + values.get(key));
        }
    }

    public String get(String key) {
        return values.get(key);
    }

    public Map<String, String> asMap() {
        return java.util.Collections.unmodifiableMap(values);
    }

    private int intValue(String key) {
        long v = longValue(key);
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("broker config: " + key + "=" + values.get(key) + " is too large");
        }
        return (int) v;
    }

    private long longValue(String key) {
        String v = values.get(key).toLowerCase(Locale.ROOT);
        long unit = 1;
        if (v.endsWith("k")) {
            unit = 1024;
        } else if (v.endsWith("m")) {
            unit = 1024 * 1024;
        } else if (v.endsWith("g")) {
            unit = 1024L * 1024 * 1024;
        }
        if (unit != 1) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            return Long.parseLong(v.trim()) * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("broker config: " + key + "=" + values.get(key) + " is not a number");
        }
    }

    private boolean boolValue(String key) {
        String v = values.get(key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("broker config: " + key + "=" + values.get(key) + " is not true or false");
        }
        return Boolean.parseBoolean(v);
    }

    /** The data directory: the configured one, else {@code <keel.home>/data}, else {@code ./data}. */
    public Path dataDir() {
        String d = values.get("dataDir");
        if (!d.isEmpty()) {
            return Path.of(d).toAbsolutePath();
        }
        String home = System.getProperty("keel.home");
        return (home == null ? Path.of("data") : Path.of(home, "data")).toAbsolutePath();
    }

    public String brokerName() {
        return values.get("brokerName");
    }

    public String listenAddress() {
        return values.get("listenAddress");
    }

    public String advertisedAddress() {
        String a = values.get("advertisedAddress");
        return a.isEmpty() ? listenAddress() : a;
    }

    public int brokerPort() {
        return intValue("brokerPort");
    }

    public int nameServerPort() {
        return intValue("nameServerPort");
    }

    public int haPort() {
        return intValue("haPort");
    }

    public boolean embeddedNameServer() {
        return boolValue("embeddedNameServer");
    }

    /** Configured name servers as host:port strings (possibly empty). */
    public List<String> nameServers() {
        List<String> out = new ArrayList<>();
        for (String s : values.get("nameServers").split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    public long registerIntervalMillis() {
        return longValue("registerIntervalMillis");
    }

    public long brokerExpiryMillis() {
        return longValue("brokerExpiryMillis");
    }

    public FlushMode flushMode() {
        try {
            return FlushMode.valueOf(values.get("flushMode").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("broker config: flushMode=" + values.get("flushMode")
                    + " is not SYNC_FLUSH or ASYNC_FLUSH");
        }
    }

    public int segmentSize() {
        return intValue("segmentSize");
    }

    public int maxMessageSize() {
        return intValue("maxMessageSize");
    }

    public int maxFrameSize() {
        return intValue("maxFrameSize");
    }

    public io.keel.store.WriteMode writeMode() {
        try {
            return io.keel.store.WriteMode.valueOf(values.get("writeMode").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("broker config: writeMode=" + values.get("writeMode")
                    + " is not FILE_CHANNEL or MMAP");
        }
    }

    public boolean forceOnEventLoop() {
        return boolValue("forceOnEventLoop");
    }

    public boolean autoCreateDestinations() {
        return boolValue("autoCreateDestinations");
    }

    public int defaultQueueCount() {
        return intValue("defaultQueueCount");
    }

    public int heartbeatMillis() {
        return intValue("heartbeatMillis");
    }

    public int writeBufferHighWaterMark() {
        return intValue("writeBufferHighWaterMark");
    }

    public int writeBufferLowWaterMark() {
        return intValue("writeBufferLowWaterMark");
    }

    public double diskUsageLimit() {
        try {
            return Double.parseDouble(values.get("diskUsageLimit"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("broker config: diskUsageLimit=" + values.get("diskUsageLimit") + " is not a number");
        }
    }

    public int ioThreads() {
        return intValue("ioThreads");
    }

    /** The configuration of the broker's store (in {@code dataDir/store}). */
    public io.keel.store.StoreConfig storeConfig() {
        return new io.keel.store.StoreConfig(dataDir().resolve("store")).segmentSize(segmentSize())
                .maxRecordSize(Math.min(maxMessageSize() + 4096, segmentSize() - 8))
                .flushMode(flushMode()).diskUsageLimit(diskUsageLimit())
                .writeMode(writeMode());
    }

    public long duplicateWindowMillis() {
        return longValue("duplicateWindowMillis");
    }

    public long snapshotIntervalMillis() {
        return longValue("snapshotIntervalMillis");
    }

    /** The users file (absolute), or null when authentication is off. */
    public Path usersFile() {
        String f = values.get("usersFile");
        return f.isEmpty() ? null : Path.of(f).toAbsolutePath().normalize();
    }

    public boolean allowAnonymous() {
        return boolValue("allowAnonymous");
    }
}
