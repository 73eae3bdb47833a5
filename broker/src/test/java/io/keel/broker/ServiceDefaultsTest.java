package io.keel.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetector.Level;

/** {@link Broker#serviceDefaults()}: leak detection off for a broker process unless the operator asked for it. */
class ServiceDefaultsTest {

    private static final String PROPERTY = "io.netty.leakDetection.level";
    private static final String OLD_PROPERTY = "io.netty.leakDetectionLevel";
    private Level before;
    private String propertyBefore;
    private String oldPropertyBefore;

    @BeforeEach
    void remember() {
        before = ResourceLeakDetector.getLevel();
        propertyBefore = System.getProperty(PROPERTY);
        oldPropertyBefore = System.getProperty(OLD_PROPERTY);
        System.clearProperty(PROPERTY);
        System.clearProperty(OLD_PROPERTY);
        ResourceLeakDetector.setLevel(Level.SIMPLE);
    }

    @AfterEach
    void restore() {
        ResourceLeakDetector.setLevel(before);
        restore(PROPERTY, propertyBefore);
        restore(OLD_PROPERTY, oldPropertyBefore);
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    @Test
    void leakDetectionIsTurnedOffWhenNobodyChoseALevel() {
        assertEquals(Level.DISABLED, Broker.serviceDefaults());
        assertEquals(Level.DISABLED, ResourceLeakDetector.getLevel());
    }

    @Test
    void aLevelChosenWithEitherPropertyIsKept() {
        System.setProperty(PROPERTY, "paranoid");
        ResourceLeakDetector.setLevel(Level.PARANOID); // what Netty read from the property at start
        assertEquals(Level.PARANOID, Broker.serviceDefaults());
        System.clearProperty(PROPERTY);
        System.setProperty(OLD_PROPERTY, "advanced");
        ResourceLeakDetector.setLevel(Level.ADVANCED);
        assertEquals(Level.ADVANCED, Broker.serviceDefaults());
    }
}
