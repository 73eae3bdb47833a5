package io.keel.protocol.selector;

import static io.keel.protocol.selector.Messages.assertTruth;
import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.keel.protocol.message.MessageData;

/** Header fields that may be absent, delivery mode, and JMSXDeliveryCount through the per-delivery provider. */
class SelectorHeadersTest {

    /** A NON_PERSISTENT message with no message id, correlation id or type ("may be null ... treated as NULL"). */
    private static final MessageData BARE = new MessageData().setPersistent(false).setPriority(0).setTimestamp(0);

    @ParameterizedTest(name = "{0} => {1}")
    @CsvSource(delimiterString = "=>", textBlock = """
            JMSDeliveryMode = 'NON_PERSISTENT'  => TRUE
            JMSDeliveryMode = 'PERSISTENT'      => FALSE
            JMSPriority = 0                     => TRUE
            JMSTimestamp = 0                    => TRUE
            JMSType IS NULL                     => TRUE
            JMSType = 'car'                     => UNKNOWN
            JMSType <> 'car'                    => UNKNOWN
            JMSType LIKE '%'                    => UNKNOWN
            JMSType IN ('car')                  => UNKNOWN
            JMSMessageID IS NULL                => TRUE
            JMSMessageID = 'ID:1'               => UNKNOWN
            JMSCorrelationID IS NOT NULL        => FALSE
            JMSCorrelationID = 'x'              => UNKNOWN
            JMSXDeliveryCount = 1               => UNKNOWN
            """)
    void absentHeadersAreNull(String selector, Truth expected) {
        assertTruth(BARE, selector, expected, null);
    }

    @Test
    void correlationIdAsBytesIsNotAStringValue() {
        MessageData m = new MessageData().setCorrelationIdBytes(new byte[] {1, 2, 3});
        assertTruth(m, "JMSCorrelationID IS NULL", Truth.TRUE, null);
        assertTruth(m, "JMSCorrelationID = 'x'", Truth.UNKNOWN, null);
    }

    @ParameterizedTest(name = "{0} with count {1} => {2}")
    @CsvSource(delimiterString = "=>", textBlock = """
            JMSXDeliveryCount = 1             => 1 => TRUE
            JMSXDeliveryCount = 1             => 2 => FALSE
            JMSXDeliveryCount > 1             => 2 => TRUE
            JMSXDeliveryCount >= 3            => 2 => FALSE
            JMSXDeliveryCount BETWEEN 2 AND 5 => 4 => TRUE
            JMSXDeliveryCount + 1 = 3         => 2 => TRUE
            JMSXDeliveryCount = 2.0           => 2 => TRUE
            JMSXDeliveryCount IS NULL         => 1 => FALSE
            JMSXDeliveryCount IS NOT NULL     => 1 => TRUE
            JMSXDeliveryCount = 'x'           => 1 => FALSE
            JMSXDeliveryCount < 10 AND JMSPriority = 7 => 9 => TRUE
            """)
    void deliveryCountFromTheProvider(String selector, int count, Truth expected) {
        assertTruth(Messages.standard(), selector, expected, () -> count);
    }

    @Test
    void withoutAProviderDeliveryCountIsAnOrdinaryProperty() {
        MessageData m = Messages.standard().setProperty("JMSXDeliveryCount", 5);
        assertTruth(m, "JMSXDeliveryCount = 5", Truth.TRUE, null);
        assertTruth(Messages.standard(), "JMSXDeliveryCount = 5", Truth.UNKNOWN, null);
        // a provider wins over a property of that name
        assertTruth(m, "JMSXDeliveryCount = 2", Truth.TRUE, () -> 2);
    }

    @Test
    void providerIsAskedOnlyWhenTheSelectorNeedsIt() {
        AtomicInteger calls = new AtomicInteger();
        DeliveryCountProvider counting = () -> {
            calls.incrementAndGet();
            return 3;
        };
        EncodedMessageSource source = Messages.encoded(Messages.standard());
        assertTrue(Selector.parse("i = 3 AND JMSPriority = 7").matches(source, counting));
        assertEquals(0, calls.get());
        assertTrue(Selector.parse("JMSXDeliveryCount = 3").matches(source, counting));
        assertEquals(1, calls.get());
        // AND stops at the first FALSE
        assertFalse(Selector.parse("i = 4 AND JMSXDeliveryCount = 3").matches(source, counting));
        assertEquals(1, calls.get());
    }

    @Test
    void aProviderMayEvaluateAnotherSelector() {
        Selector inner = Selector.parse("JMSPriority = 7");
        EncodedMessageSource source = Messages.encoded(Messages.standard());
        DeliveryCountProvider reentrant = () -> inner.matches(source) ? 2 : 1;
        assertTrue(Selector.parse("i = 3 AND JMSXDeliveryCount = 2 AND s = 'red'").matches(source, reentrant));
    }

    @Test
    void sourcesAreReusableAcrossMessages() {
        Selector s = Selector.parse("JMSType = 'car' AND weight > 10");
        EncodedMessageSource encoded = new EncodedMessageSource();
        MessageDataSource decoded = new MessageDataSource();
        for (int w = 0; w < 20; w++) {
            MessageData m = new MessageData().setType(w % 2 == 0 ? "car" : "bus").setProperty("weight", w);
            boolean expected = w % 2 == 0 && w > 10;
            assertEquals(expected, s.matches(encoded.wrap(Messages.encoded(m).message())), "weight " + w);
            assertEquals(expected, s.matches(decoded.wrap(m)), "weight " + w);
        }
    }
}
