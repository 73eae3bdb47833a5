package io.keel.broker.delivery;

import java.nio.ByteBuffer;

import io.keel.protocol.message.EncodedMessage;
import io.keel.protocol.selector.DeliveryCountProvider;
import io.keel.protocol.selector.EncodedMessageSource;
import io.keel.protocol.selector.Selector;

/**
 * A consumer's message selector, evaluated on the stored bytes in place. One instance per consumer
 * (it reuses its flyweights, so it is confined to the consumer's event loop).
 */
final class SelectorFilter implements MessageFilter, DeliveryCountProvider {

    private final Selector selector;
    private final EncodedMessage message = new EncodedMessage();
    private final EncodedMessageSource source = new EncodedMessageSource();
    private int deliveryCount;

    SelectorFilter(Selector selector) {
        this.selector = selector;
    }

    @Override
    public boolean matches(ByteBuffer buffer, int position, int length, int deliveryCount) {
        this.deliveryCount = deliveryCount;
        try {
            message.wrap(buffer, position, length);
            source.wrap(message);
            return selector.matches(source, this);
        } catch (RuntimeException notAJmsMessage) {
            return false; // bytes that are not an encoded JMS message match no selector
        }
    }

    @Override
    public int deliveryCount() {
        return deliveryCount;
    }
}
