package io.keel.jms;

import java.io.Serializable;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.keel.jms.message.KeelMessage;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;

/**
 * The simplified API's producer: settings, message properties and headers kept here are applied to
 * every message it sends. Property values are held in a scratch message so that their names are
 * checked and their getters convert exactly as a message's do.
 */
final class KeelJMSProducer implements JMSProducer {

    private final KeelJMSContext context;
    private final KeelMessageProducer producer;
    private final KeelMessage properties = new KeelMessage();
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLive;
    private CompletionListener async;
    private String correlationId;
    private byte[] correlationIdBytes;
    private String type;
    private Destination replyTo;

    KeelJMSProducer(KeelJMSContext context, KeelMessageProducer producer) {
        this.context = context;
        this.producer = producer;
    }

    @Override
    public JMSProducer send(Destination destination, Message message) {
        if (message == null) {
            throw new MessageFormatRuntimeException("the message is null");
        }
        KeelJMSContext.unchecked(() -> {
            for (Enumeration<?> e = properties.getPropertyNames(); e.hasMoreElements(); ) {
                String name = (String) e.nextElement();
                message.setObjectProperty(name, properties.getObjectProperty(name));
            }
            if (correlationIdBytes != null) {
                message.setJMSCorrelationIDAsBytes(correlationIdBytes);
            } else if (correlationId != null) {
                message.setJMSCorrelationID(correlationId);
            }
            if (type != null) {
                message.setJMSType(type);
            }
            if (replyTo != null) {
                message.setJMSReplyTo(replyTo);
            }
            if (async != null) {
                producer.send(destination, message, deliveryMode, priority, timeToLive, async);
            } else {
                producer.send(destination, message, deliveryMode, priority, timeToLive);
            }
            return null;
        });
        return this;
    }

    @Override
    public JMSProducer send(Destination destination, String body) {
        return send(destination, context.createTextMessage(body));
    }

    @Override
    public JMSProducer send(Destination destination, Map<String, Object> body) {
        MapMessage m = context.createMapMessage();
        if (body != null) {
            KeelJMSContext.unchecked(() -> {
                for (Map.Entry<String, Object> e : body.entrySet()) {
                    m.setObject(e.getKey(), e.getValue());
                }
                return null;
            });
        }
        return send(destination, m);
    }

    @Override
    public JMSProducer send(Destination destination, byte[] body) {
        BytesMessage m = context.createBytesMessage();
        if (body != null) {
            KeelJMSContext.unchecked(() -> {
                m.writeBytes(body);
                return null;
            });
        }
        return send(destination, m);
    }

    @Override
    public JMSProducer send(Destination destination, Serializable body) {
        return send(destination, context.createObjectMessage(body));
    }

    @Override
    public JMSProducer setDisableMessageID(boolean value) {
        KeelJMSContext.unchecked(() -> {
            producer.setDisableMessageID(value);
            return null;
        });
        return this;
    }

    @Override
    public boolean getDisableMessageID() {
        return KeelJMSContext.unchecked(producer::getDisableMessageID);
    }

    @Override
    public JMSProducer setDisableMessageTimestamp(boolean value) {
        KeelJMSContext.unchecked(() -> {
            producer.setDisableMessageTimestamp(value);
            return null;
        });
        return this;
    }

    @Override
    public boolean getDisableMessageTimestamp() {
        return KeelJMSContext.unchecked(producer::getDisableMessageTimestamp);
    }

    @Override
    public JMSProducer setDeliveryMode(int mode) {
        if (mode != DeliveryMode.PERSISTENT && mode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSRuntimeException("delivery mode " + mode + " is not PERSISTENT (2) or NON_PERSISTENT (1)");
        }
        deliveryMode = mode;
        return this;
    }

    @Override
    public int getDeliveryMode() {
        return deliveryMode;
    }

    @Override
    public JMSProducer setPriority(int value) {
        if (value < 0 || value > 9) {
            throw new JMSRuntimeException("priority " + value + " is not within 0-9");
        }
        priority = value;
        return this;
    }

    @Override
    public int getPriority() {
        return priority;
    }

    @Override
    public JMSProducer setTimeToLive(long value) {
        timeToLive = value;
        return this;
    }

    @Override
    public long getTimeToLive() {
        return timeToLive;
    }

    @Override
    public JMSProducer setDeliveryDelay(long value) {
        KeelJMSContext.unchecked(() -> {
            producer.setDeliveryDelay(value);
            return null;
        });
        return this;
    }

    @Override
    public long getDeliveryDelay() {
        return KeelJMSContext.unchecked(producer::getDeliveryDelay);
    }

    @Override
    public JMSProducer setAsync(CompletionListener listener) {
        async = listener;
        return this;
    }

    @Override
    public CompletionListener getAsync() {
        return async;
    }

    private JMSProducer property(String name, Object value) {
        KeelJMSContext.unchecked(() -> {
            properties.setObjectProperty(name, value);
            return null;
        });
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, boolean value) {
        return property(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, byte value) {
        return property(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, short value) {
        return property(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, int value) {
        return property(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, long value) {
        return property(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, float value) {
        return property(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, double value) {
        return property(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, String value) {
        return property(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, Object value) {
        return property(name, value);
    }

    @Override
    public JMSProducer clearProperties() {
        KeelJMSContext.unchecked(() -> {
            properties.clearProperties();
            return null;
        });
        return this;
    }

    @Override
    public boolean propertyExists(String name) {
        return KeelJMSContext.unchecked(() -> properties.propertyExists(name));
    }

    @Override
    public boolean getBooleanProperty(String name) {
        return KeelJMSContext.unchecked(() -> properties.getBooleanProperty(name));
    }

    @Override
    public byte getByteProperty(String name) {
        return KeelJMSContext.unchecked(() -> properties.getByteProperty(name));
    }

    @Override
    public short getShortProperty(String name) {
        return KeelJMSContext.unchecked(() -> properties.getShortProperty(name));
    }

    @Override
    public int getIntProperty(String name) {
        return KeelJMSContext.unchecked(() -> properties.getIntProperty(name));
    }

    @Override
    public long getLongProperty(String name) {
        return KeelJMSContext.unchecked(() -> properties.getLongProperty(name));
    }

    @Override
    public float getFloatProperty(String name) {
        return KeelJMSContext.unchecked(() -> properties.getFloatProperty(name));
    }

    @Override
    public double getDoubleProperty(String name) {
        return KeelJMSContext.unchecked(() -> properties.getDoubleProperty(name));
    }

    @Override
    public String getStringProperty(String name) {
        return KeelJMSContext.unchecked(() -> properties.getStringProperty(name));
    }

    @Override
    public Object getObjectProperty(String name) {
        return KeelJMSContext.unchecked(() -> properties.getObjectProperty(name));
    }

    @Override
    public Set<String> getPropertyNames() {
        return KeelJMSContext.unchecked(() -> {
            Set<String> names = new TreeSet<>();
            for (Enumeration<?> e = properties.getPropertyNames(); e.hasMoreElements(); ) {
                names.add((String) e.nextElement());
            }
            return Collections.unmodifiableSet(names);
        });
    }

    @Override
    public JMSProducer setJMSCorrelationIDAsBytes(byte[] value) {
        correlationIdBytes = value == null ? null : value.clone();
        correlationId = null;
        return this;
    }

    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        return correlationIdBytes == null ? null : correlationIdBytes.clone();
    }

    @Override
    public JMSProducer setJMSCorrelationID(String value) {
        correlationId = value;
        correlationIdBytes = null;
        return this;
    }

    @Override
    public String getJMSCorrelationID() {
        return correlationId;
    }

    @Override
    public JMSProducer setJMSType(String value) {
        type = value;
        return this;
    }

    @Override
    public String getJMSType() {
        return type;
    }

    @Override
    public JMSProducer setJMSReplyTo(Destination value) {
        replyTo = value;
        return this;
    }

    @Override
    public Destination getJMSReplyTo() {
        return replyTo;
    }
}
