package io.keel.broker.delivery;

import java.nio.ByteBuffer;

/** Decides whether a stored message goes to a consumer (its selector), read in place. */
@FunctionalInterface
public interface MessageFilter {

    MessageFilter ALL = (buffer, position, length, deliveryCount) -> true;

    /**
     * @param buffer        holds the encoded message
     * @param position      where it starts
     * @param length        its length
     * @param deliveryCount the JMSXDeliveryCount this delivery would have
     */
    boolean matches(ByteBuffer buffer, int position, int length, int deliveryCount);
}
