package io.keel.protocol.frame;

/**
 * A peer broke the wire protocol (a malformed frame, a length out of bounds, an unknown command).
 * The message names the rule broken; the receiving side answers with an error or closes the
 * connection, and logs the peer.
 */
public final class ProtocolViolation extends RuntimeException {

    public ProtocolViolation(String message) {
        super(message, null, false, false);
    }
}
