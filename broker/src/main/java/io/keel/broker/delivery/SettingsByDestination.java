package io.keel.broker.delivery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keel.broker.destination.Destination;

/**
 * The delivery settings each destination delivers by: the broker's defaults with what an
 * administrator set for it ({@link Destination#settingOverrides()}), computed once per change of
 * the overrides and cached, since a delivery asks for them per message.
 */
final class SettingsByDestination {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsByDestination.class);

    private final DeliverySettings defaults;

    private record CachedSettings(Map<String, String> overrides, DeliverySettings settings) {
    }

    private final Map<Destination, CachedSettings> cache = new ConcurrentHashMap<>();

    SettingsByDestination(DeliverySettings defaults) {
        this.defaults = defaults;
    }

    DeliverySettings defaults() {
        return defaults;
    }

    /** The settings of {@code d}; invalid overrides (logged once per change) fall back to the defaults. */
    DeliverySettings of(Destination d) {
        Map<String, String> overrides = d.settingOverrides();
        if (overrides.isEmpty()) {
            return defaults;
        }
        CachedSettings c = cache.get(d);
        if (c == null || c.overrides() != overrides) {
            DeliverySettings computed;
            try {
                computed = defaults.with(overrides);
            } catch (IllegalArgumentException e) {
                LOG.error("{}: delivery settings {} are invalid ({}); using the broker defaults", d.id(), overrides,
                        e.getMessage());
                computed = defaults;
            }
            c = new CachedSettings(overrides, computed);
            cache.put(d, c);
        }
        return c.settings();
    }
}
