package io.keel.broker.namesrv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.keel.broker.destination.DestinationId;
import io.keel.protocol.DestinationType;
import io.keel.protocol.command.BrokerRegistration;
import io.keel.protocol.command.RouteData;

/**
 * What a name server knows: the brokers that registered within the expiry time and the destinations
 * each serves. It is soft state, rebuilt from registrations, so name servers are stateless peers.
 */
public final class RouteTable {

    /** One registered broker. */
    private record BrokerEntry(BrokerRegistration registration, Map<DestinationId, Integer> destinations,
            long lastSeenMillis) {
    }

    private final Map<String, BrokerEntry> brokers = new ConcurrentHashMap<>();

    /** Records a registration; returns true if the broker is new. */
    public boolean register(BrokerRegistration r, long nowMillis) {
        Map<DestinationId, Integer> map = new HashMap<>();
        for (BrokerRegistration.Entry e : r.destinations()) {
            map.put(new DestinationId(e.type(), e.name()), e.queueCount());
        }
        return brokers.put(r.brokerName(), new BrokerEntry(r, map, nowMillis)) == null;
    }

    public boolean unregister(String brokerName) {
        return brokers.remove(brokerName) != null;
    }

    /** Drops brokers silent since {@code oldestAllowedMillis}; returns their names. */
    public List<String> expire(long oldestAllowedMillis) {
        List<String> dropped = new ArrayList<>();
        brokers.entrySet().removeIf(e -> {
            if (e.getValue().lastSeenMillis() < oldestAllowedMillis) {
                dropped.add(e.getKey());
                return true;
            }
            return false;
        });
        return dropped;
    }

    public int brokerCount() {
        return brokers.size();
    }

    /**
     * The brokers serving a destination; if none does, the brokers that create destinations on
     * first use (with their default queue count). Temporary destinations are never auto-created.
     */
    public RouteData route(DestinationType type, String name) {
        DestinationId id = new DestinationId(type, name);
        List<RouteData.BrokerRoute> serving = new ArrayList<>();
        List<RouteData.BrokerRoute> creating = new ArrayList<>();
        for (BrokerEntry b : brokers.values()) {
            Integer queues = b.destinations().get(id);
            if (queues != null) {
                serving.add(new RouteData.BrokerRoute(b.registration().brokerName(), b.registration().address(), queues));
            } else if (b.registration().autoCreate() && !type.isTemporary()) {
                creating.add(new RouteData.BrokerRoute(b.registration().brokerName(), b.registration().address(),
                        b.registration().defaultQueueCount()));
            }
        }
        serving.sort(java.util.Comparator.comparing(RouteData.BrokerRoute::brokerName));
        creating.sort(java.util.Comparator.comparing(RouteData.BrokerRoute::brokerName));
        return new RouteData(serving.isEmpty() ? creating : serving);
    }
}
