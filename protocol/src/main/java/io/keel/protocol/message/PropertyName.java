package io.keel.protocol.message;

import java.util.Objects;

/**
 * A property name with its encoded bytes computed once, the key for allocation-free lookups with
 * {@link EncodedMessage#findProperty(PropertyName)}. Immutable; a selector evaluator creates one per
 * identifier when it compiles the selector and reuses it for every message.
 *
 * <p>Any non-null string is accepted (the identifier rules are the client's business, see
 * {@link PropertyNames}), so JMSX names and provider names can be looked up too.
 */
public final class PropertyName {

    /** JMSXGroupID, which the broker reads for message groups. */
    public static final PropertyName JMSX_GROUP_ID = of("JMSXGroupID");
    /** JMSXGroupSeq. */
    public static final PropertyName JMSX_GROUP_SEQ = of("JMSXGroupSeq");

    private final String name;
    private final byte[] utf8;

    private PropertyName(String name) {
        this.name = name;
        this.utf8 = Utf8.encode(name);
    }

    public static PropertyName of(String name) {
        return new PropertyName(Objects.requireNonNull(name, "name"));
    }

    public String name() {
        return name;
    }

    /** Length of the encoded name in bytes. */
    public int utf8Length() {
        return utf8.length;
    }

    /** The encoded name; shared, not to be modified. */
    byte[] utf8() {
        return utf8;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PropertyName p && p.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
