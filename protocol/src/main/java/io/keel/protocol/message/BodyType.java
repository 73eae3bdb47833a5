package io.keel.protocol.message;

/** The kind of JMS message, which fixes how its body is encoded. The code is the wire value. */
public enum BodyType {
    /** A plain {@code Message}: no body. */
    MESSAGE(0),
    BYTES(1),
    MAP(2),
    OBJECT(3),
    STREAM(4),
    TEXT(5);

    private static final BodyType[] BY_CODE = values();

    private final byte code;

    BodyType(int code) {
        this.code = (byte) code;
    }

    /** The wire code, stored at {@link MessageLayout#OFF_BODY_TYPE}. */
    public byte code() {
        return code;
    }

    /** The type for a wire code, or {@code null} if the code is unknown. */
    public static BodyType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Whether the body may be null (encoded as body length -1): TEXT and OBJECT. */
    public boolean nullableBody() {
        return this == TEXT || this == OBJECT;
    }
}
