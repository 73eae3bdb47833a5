package io.keel.jms;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageListener;

/**
 * The simplified API's consumer over a {@link KeelMessageConsumer}. {@code receiveBody} returns the
 * body of the next message; if the body cannot be returned as the requested type, the message is
 * not consumed in AUTO/DUPS_OK mode (it comes back) and MessageFormatRuntimeException is thrown.
 */
final class KeelJMSConsumer implements JMSConsumer {

    private final KeelMessageConsumer consumer;

    KeelJMSConsumer(KeelMessageConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public String getMessageSelector() {
        return KeelJMSContext.unchecked(consumer::getMessageSelector);
    }

    @Override
    public MessageListener getMessageListener() {
        return KeelJMSContext.unchecked(consumer::getMessageListener);
    }

    @Override
    public void setMessageListener(MessageListener listener) {
        KeelJMSContext.unchecked(() -> {
            consumer.setMessageListener(listener);
            return null;
        });
    }

    @Override
    public Message receive() {
        return KeelJMSContext.unchecked(consumer::receive);
    }

    @Override
    public Message receive(long timeout) {
        return KeelJMSContext.unchecked(() -> consumer.receive(timeout));
    }

    @Override
    public Message receiveNoWait() {
        return KeelJMSContext.unchecked(consumer::receiveNoWait);
    }

    @Override
    public void close() {
        KeelJMSContext.unchecked(() -> {
            consumer.close();
            return null;
        });
    }

    @Override
    public <T> T receiveBody(Class<T> c) {
        return KeelJMSContext.unchecked(() -> body(consumer.receiveForBody(0, true, c), c));
    }

    @Override
    public <T> T receiveBody(Class<T> c, long timeout) {
        return KeelJMSContext.unchecked(() -> body(consumer.receiveForBody(timeout, true, c), c));
    }

    @Override
    public <T> T receiveBodyNoWait(Class<T> c) {
        return KeelJMSContext.unchecked(() -> body(consumer.receiveForBody(0, false, c), c));
    }

    private static <T> T body(Message m, Class<T> c) throws JMSException {
        if (m == null) {
            return null;
        }
        try {
            return m.getBody(c);
        } catch (jakarta.jms.MessageFormatException e) {
            throw new MessageFormatRuntimeException(e.getMessage(), e.getErrorCode(), e);
        }
    }
}
