package io.keel.protocol.message;

/**
 * Encoded message bytes are not a well-formed Keel message: unknown format version, truncated, or
 * garbled. Unchecked, because the bytes come from the wire or the store and a caller can only reject
 * them; the client maps it to a {@code JMSException}, the broker to an error reply.
 *
 * <p>Despite the name (chosen to stand apart from {@code jakarta.jms.MessageFormatException}, which
 * means a type-conversion error in the JMS API) this is a {@link RuntimeException}, not a
 * {@link java.lang.Error}.
 */
public final class MessageFormatError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int offset;

    /**
     * @param problem what is wrong
     * @param offset where, in bytes from the start of the encoded message
     */
    public MessageFormatError(String problem, int offset) {
        super(problem + " at offset " + offset);
        this.offset = offset;
    }

    /** Position of the problem, in bytes from the start of the encoded message. */
    public int offset() {
        return offset;
    }
}
