package io.keel.protocol.message;

import static io.keel.protocol.message.MessageLayout.*;

import io.keel.protocol.DestinationType;

/**
 * Reading and skipping the variable headers (see {@link MessageLayout}), shared by
 * {@link MessageCodec} and {@link EncodedMessage}. The field names passed along are constants, so
 * nothing is allocated unless something is wrong.
 */
final class Headers {

    static final String DEST = "JMSDestination";
    static final String DEST_NAME = "JMSDestination name";
    static final String REPLY_TO = "JMSReplyTo";
    static final String REPLY_TO_NAME = "JMSReplyTo name";
    static final String MESSAGE_ID = "JMSMessageID";
    static final String CORR_KIND = "JMSCorrelationID kind";
    static final String CORR = "JMSCorrelationID";
    static final String CORR_BYTES_WHAT = "JMSCorrelationID bytes";
    static final String TYPE = "JMSType";

    private Headers() {
    }

    static DestinationRef readDestination(Cursor c, String what, String nameWhat) {
        int at = c.pos;
        int code = c.u8(what);
        if (code == DEST_NONE) {
            return null;
        }
        DestinationType kind = DestinationRef.kindOf(code);
        if (kind == null) {
            throw c.error(what + ": invalid destination kind " + code, at);
        }
        return new DestinationRef(kind, c.string(nameWhat, false));
    }

    static void skipDestination(Cursor c, String what, String nameWhat, boolean checkUtf8) {
        int at = c.pos;
        int code = c.u8(what);
        if (code != DEST_NONE) {
            if (DestinationRef.kindOf(code) == null) {
                throw c.error(what + ": invalid destination kind " + code, at);
            }
            c.skipString(nameWhat, false, checkUtf8);
        }
    }

    /** Reads the correlation id kind byte, checking it. */
    static int correlationKind(Cursor c) {
        int at = c.pos;
        int kind = c.u8(CORR_KIND);
        if (kind != CORR_NONE && kind != CORR_STRING && kind != CORR_BYTES) {
            throw c.error("invalid JMSCorrelationID kind " + kind, at);
        }
        return kind;
    }

    static void skipCorrelationId(Cursor c, boolean checkUtf8) {
        switch (correlationKind(c)) {
            case CORR_STRING -> c.skipString(CORR, false, checkUtf8);
            case CORR_BYTES -> c.skip(c.length(CORR_BYTES_WHAT, false), CORR_BYTES_WHAT);
            default -> {
            }
        }
    }

    /** Moves the cursor (at the first variable header) to the message id. */
    static Cursor toMessageId(Cursor c) {
        skipDestination(c, DEST, DEST_NAME, false);
        skipDestination(c, REPLY_TO, REPLY_TO_NAME, false);
        return c;
    }

    /** Moves the cursor (at the first variable header) to the correlation id kind byte. */
    static Cursor toCorrelationId(Cursor c) {
        toMessageId(c).skipString(MESSAGE_ID, true, false);
        return c;
    }

    /** Fails unless the header section was consumed exactly. */
    static void requireEnd(Cursor c) {
        if (c.hasRemaining()) {
            throw c.error("header section has " + c.remaining() + " unexpected trailing bytes", c.pos);
        }
    }
}
