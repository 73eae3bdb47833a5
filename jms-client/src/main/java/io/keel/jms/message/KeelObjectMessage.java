package io.keel.jms.message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;

import io.keel.protocol.message.BodyType;
import io.keel.protocol.message.MessageData;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;

/**
 * Keel's {@link ObjectMessage}: the body is kept Java-serialised, as it travels. {@link #setObject}
 * serialises at once (so later changes to the object do not show, as the specification requires: set
 * methods copy); {@link #getObject} deserialises a fresh copy each time, admitting only the classes of its
 * {@link TrustedPackages} (see there why), which the consumer sets from the connection factory option
 * {@code trustedPackages}; without one, {@link TrustedPackages#DEFAULT}.
 */
public final class KeelObjectMessage extends KeelMessage implements ObjectMessage {

    private TrustedPackages trusted = TrustedPackages.DEFAULT;

    /** A new message with a null object. */
    public KeelObjectMessage() {
        super(new MessageData(BodyType.OBJECT));
    }

    KeelObjectMessage(MessageData data) {
        super(data);
    }

    /** The classes {@link #getObject} may deserialise; null means {@link TrustedPackages#DEFAULT}. */
    public void setTrustedPackages(TrustedPackages trusted) {
        this.trusted = trusted == null ? TrustedPackages.DEFAULT : trusted;
    }

    /**
     * Serialises {@code object} now (null: no body). MessageFormatException if it cannot be serialised,
     * MessageNotWriteableException on a received message until clearBody().
     */
    @Override
    public void setObject(Serializable object) throws JMSException {
        checkBodyWritable();
        if (object == null) {
            data.setObjectBytes(null);
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (IOException | RuntimeException e) {
            MessageFormatException mfe = new MessageFormatException("cannot serialise the ObjectMessage body ("
                    + object.getClass().getName() + "): " + e);
            mfe.setLinkedException(e);
            mfe.initCause(e);
            throw mfe;
        }
        data.setObjectBytes(bytes.toByteArray());
    }

    /**
     * A new copy of the object, or null. MessageFormatException (a JMSException) naming the class if a
     * class of it is not trusted, or if it cannot be deserialised.
     */
    @Override
    public Serializable getObject() throws JMSException {
        byte[] bytes = data.objectBytes();
        return bytes == null ? null : trusted.deserialize(bytes);
    }

    /** The object if {@code c} can hold it; MessageFormatException if not or if it cannot be deserialised. */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        Serializable o = getObject();
        return o == null ? null : bodyAs(o, c, "ObjectMessage");
    }

    /** True without a body; false if the object cannot be deserialised (untrusted included). */
    @Override
    public boolean isBodyAssignableTo(@SuppressWarnings("rawtypes") Class c) {
        if (data.objectBytes() == null) {
            return true;
        }
        try {
            return c.isInstance(getObject());
        } catch (JMSException cannot) {
            return false;
        }
    }

    @Override
    String bodySummary() {
        byte[] bytes = data.objectBytes();
        return bytes == null ? "no object" : "object of " + bytes.length + " serialised bytes";
    }
}
