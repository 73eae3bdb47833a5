package io.keel.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.keel.store.WriteMode;

/** The store-facing keys: their defaults, that they reach the store's configuration, and bad values. */
class BrokerConfigTest {

    @Test
    void writeModeAndForceOnEventLoopDefaultsReachTheStore() {
        BrokerConfig c = BrokerConfig.defaults();
        assertEquals(WriteMode.FILE_CHANNEL, c.writeMode());
        assertEquals(WriteMode.FILE_CHANNEL, c.storeConfig().writeMode());
        assertTrue(c.forceOnEventLoop());

        BrokerConfig mmap = BrokerConfig.defaults().set("writeMode", "mmap").set("forceOnEventLoop", "false").validate();
        assertEquals(WriteMode.MMAP, mmap.storeConfig().writeMode());
        assertFalse(mmap.forceOnEventLoop());
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
                () -> BrokerConfig.defaults().set("writeMode", "direct").validate());
        assertTrue(mode.getMessage().contains("writeMode=direct is not FILE_CHANNEL or MMAP"), mode.getMessage());
        IllegalArgumentException force = assertThrows(IllegalArgumentException.class,
                () -> BrokerConfig.defaults().set("forceOnEventLoop", "sometimes").validate());
        assertTrue(force.getMessage().contains("forceOnEventLoop=sometimes is not true or false"), force.getMessage());
    }
}
