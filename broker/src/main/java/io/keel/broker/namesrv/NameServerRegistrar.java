package io.keel.broker.namesrv;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.protocol.client.ProtocolClient;
import io.keel.protocol.command.BrokerRegistration;
import io.keel.protocol.frame.Frame;

/**
 * Registers the broker with every configured name server at start and then periodically, and
 * unregisters it on shutdown. A name server that cannot be reached is retried at the next period; the
 * others are not held up.
 */
public final class NameServerRegistrar implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NameServerRegistrar.class);

    private final List<String> nameServers;
    private final Supplier<BrokerRegistration> registration;
    private final ScheduledExecutorService timer;
    private final Map<String, ProtocolClient> clients = new LinkedHashMap<>();
    private final Map<String, Boolean> reachable = new LinkedHashMap<>();

    public NameServerRegistrar(List<String> nameServers, long intervalMillis, Supplier<BrokerRegistration> registration) {
        this.nameServers = new ArrayList<>(nameServers);
        this.registration = registration;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keel-registrar");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::registerAll, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Registers now (also called when destinations change). */
    public void registerSoon() {
        timer.execute(this::registerAll);
    }

    private void registerAll() {
        BrokerRegistration r = registration.get();
        for (String ns : nameServers) {
            try {
                ProtocolClient c = client(ns);
                Frame f = c.request(id -> r.frame(c.channel().alloc(), id)).get(10, TimeUnit.SECONDS);
                f.release();
                if (!Boolean.TRUE.equals(reachable.put(ns, true))) {
                    LOG.info("registered with name server {}", ns);
                }
            } catch (Exception e) {
                ProtocolClient c = clients.remove(ns);
                if (c != null) {
                    c.close();
                }
                if (!Boolean.FALSE.equals(reachable.put(ns, false))) {
                    LOG.warn("cannot register with name server {}: {} (retrying every period)", ns,
                            e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                }
            }
        }
    }

    private ProtocolClient client(String ns) {
        ProtocolClient c = clients.get(ns);
        if (c == null || !c.isOpen()) {
            int colon = ns.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("name server address '" + ns + "' is not host:port");
            }
            c = ProtocolClient.connect(ns.substring(0, colon), Integer.parseInt(ns.substring(colon + 1)),
                    ProtocolClient.Options.defaults().withRequestTimeoutMillis(10_000));
            clients.put(ns, c);
        }
        return c;
    }

    /** Unregisters from every name server and stops. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String name = registration.get().brokerName();
        for (ProtocolClient c : clients.values()) {
            try {
                c.request(id -> BrokerRegistration.unregisterFrame(c.channel().alloc(), id, name))
                        .get(5, TimeUnit.SECONDS).release();
            } catch (Exception e) {
                LOG.debug("cannot unregister from {}: {}", c.peer(), e.toString());
            }
            c.close();
        }
        clients.clear();
    }
}
