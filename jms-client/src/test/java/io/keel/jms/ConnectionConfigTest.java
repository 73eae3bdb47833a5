package io.keel.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The connection URL: addresses, options, defaults and the errors of a bad URL. */
class ConnectionConfigTest {

    @Test
    void parsesAddressesAndOptions() {
        ConnectionConfig c = ConnectionConfig.parse("keel://a:9876,b:9877?clientId=app%201&user=u&password=p"
                + "&prefetch=50&sendTimeout=5000&trustedPackages=com.acme,org.example");
        assertEquals(List.of("a:9876", "b:9877"), c.addresses());
        assertEquals("app 1", c.clientId());
        assertEquals("u", c.user());
        assertEquals("p", c.password());
        assertEquals(50, c.prefetch());
        assertEquals(5000, c.sendTimeoutMillis());
        assertEquals(List.of("com.acme", "org.example"), c.trustedPackages());
        assertTrue(!c.describe().contains("p&") && !c.describe().contains("password"), "no password in descriptions");
    }

    @Test
    void defaults() {
        ConnectionConfig c = ConnectionConfig.parse("keel://localhost:9876");
        assertNull(c.clientId());
        assertEquals(1000, c.prefetch());
        assertEquals(30_000, c.sendTimeoutMillis());
        assertEquals(ConnectionConfig.DEFAULT_TRUSTED, c.trustedPackages());
    }

    @Test
    void badUrlsNameTheProblem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnectionConfig.parse("tcp://a:1"))
                .getMessage().contains("does not start with keel://"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnectionConfig.parse("keel://a"))
                .getMessage().contains("'a' is not host:port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnectionConfig.parse("keel://a:0"))
                .getMessage().contains("port 0 is not within 1-65535"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnectionConfig.parse("keel://a:1?prefetsh=3"))
                .getMessage().contains("unknown option 'prefetsh'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnectionConfig.parse("keel://a:1?prefetch=x"))
                .getMessage().contains("prefetch='x' is not a number"));
    }
}
