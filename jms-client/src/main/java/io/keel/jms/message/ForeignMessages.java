package io.keel.jms.message;

import java.util.Enumeration;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

/**
 * Copies a message of another provider into a Keel message ({@link KeelMessage#copyOf}), through the
 * public JMS API only, since nothing else about a foreign implementation can be assumed. Kept apart from
 * KeelMessage because it is needed only on that (rare) path.
 */
final class ForeignMessages {

    private ForeignMessages() {
    }

    static KeelMessage copy(Message foreign) throws JMSException {
        KeelMessage m;
        if (foreign instanceof TextMessage t) {
            KeelTextMessage k = new KeelTextMessage();
            k.setText(t.getText());
            m = k;
        } else if (foreign instanceof BytesMessage b) {
            m = copyBytes(b);
        } else if (foreign instanceof MapMessage map) {
            KeelMapMessage k = new KeelMapMessage();
            for (Enumeration<?> names = map.getMapNames(); names.hasMoreElements();) {
                String name = (String) names.nextElement();
                k.setObject(name, map.getObject(name));
            }
            m = k;
        } else if (foreign instanceof StreamMessage s) {
            m = copyStream(s);
        } else if (foreign instanceof ObjectMessage o) {
            KeelObjectMessage k = new KeelObjectMessage();
            k.setObject(o.getObject());
            m = k;
        } else {
            m = new KeelMessage();
        }
        copyHeaders(foreign, m);
        copyProperties(foreign, m);
        return m;
    }

    private static void copyHeaders(Message from, KeelMessage to) throws JMSException {
        to.setJMSMessageID(from.getJMSMessageID());
        to.setJMSTimestamp(from.getJMSTimestamp());
        String correlation = from.getJMSCorrelationID();
        if (correlation != null) {
            to.setJMSCorrelationID(correlation);
        } else {
            byte[] bytes = null;
            try {
                bytes = from.getJMSCorrelationIDAsBytes();
            } catch (JMSException | UnsupportedOperationException notSupported) {
                // the byte[] form is optional for providers
            }
            to.setJMSCorrelationIDAsBytes(bytes);
        }
        to.setJMSReplyTo(from.getJMSReplyTo());
        to.setJMSDestination(from.getJMSDestination());
        to.setJMSDeliveryMode(from.getJMSDeliveryMode());
        to.setJMSType(from.getJMSType());
        to.setJMSExpiration(from.getJMSExpiration());
        to.setJMSPriority(from.getJMSPriority());
        to.setJMSDeliveryTime(from.getJMSDeliveryTime());
    }

    /** Every property but the provider-set JMSX ones, which a client may not set (and would be stale). */
    private static void copyProperties(Message from, KeelMessage to) throws JMSException {
        for (Enumeration<?> names = from.getPropertyNames(); names.hasMoreElements();) {
            String name = (String) names.nextElement();
            if (PropertyRules.isProviderSet(name)) {
                continue;
            }
            to.setObjectProperty(name, from.getObjectProperty(name));
        }
    }

    private static KeelMessage copyBytes(BytesMessage from) throws JMSException {
        from.reset();
        long length = from.getBodyLength();
        if (length > Integer.MAX_VALUE - 8) {
            throw new JMSException("a BytesMessage of " + length + " bytes is too large to copy");
        }
        byte[] bytes = new byte[(int) length];
        int at = 0;
        byte[] chunk = new byte[Math.min(bytes.length, 64 * 1024)];
        while (at < bytes.length) {
            int n = from.readBytes(chunk, Math.min(chunk.length, bytes.length - at));
            if (n <= 0) {
                break;
            }
            System.arraycopy(chunk, 0, bytes, at, n);
            at += n;
        }
        from.reset();
        if (at != bytes.length) {
            throw new JMSException("the foreign BytesMessage gave " + at + " of its " + bytes.length + " bytes");
        }
        KeelBytesMessage k = new KeelBytesMessage();
        k.writeBytes(bytes);
        return k;
    }

    private static KeelMessage copyStream(StreamMessage from) throws JMSException {
        from.reset();
        KeelStreamMessage k = new KeelStreamMessage();
        try {
            while (true) {
                k.writeObject(from.readObject());
            }
        } catch (MessageEOFException end) {
            // the whole stream was copied
        }
        from.reset();
        return k;
    }
}
