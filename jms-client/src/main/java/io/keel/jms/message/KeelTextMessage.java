package io.keel.jms.message;

import io.keel.protocol.message.BodyType;
import io.keel.protocol.message.MessageData;
import jakarta.jms.JMSException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.TextMessage;

/** Keel's {@link TextMessage}: a String body, possibly null ("no body"). */
public final class KeelTextMessage extends KeelMessage implements TextMessage {

    /** A new message with a null text. */
    public KeelTextMessage() {
        super(new MessageData(BodyType.TEXT));
    }

    KeelTextMessage(MessageData data) {
        super(data);
    }

    /** MessageNotWriteableException on a received message until clearBody(). */
    @Override
    public void setText(String text) throws MessageNotWriteableException {
        checkBodyWritable();
        data.setText(text);
    }

    @Override
    public String getText() {
        return data.text();
    }

    /** The text if {@code c} can hold a String (String, CharSequence, Object...), null if there is none. */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        String text = data.text();
        return text == null ? null : bodyAs(text, c, "TextMessage");
    }

    @Override
    public boolean isBodyAssignableTo(@SuppressWarnings("rawtypes") Class c) {
        return data.text() == null || ((Class<?>) c).isAssignableFrom(String.class);
    }

    @Override
    String bodySummary() {
        String text = data.text();
        return text == null ? "no text" : "text of " + text.length() + " chars";
    }
}
