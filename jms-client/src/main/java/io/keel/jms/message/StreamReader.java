package io.keel.jms.message;

import java.util.List;
import java.util.Objects;

import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;

/**
 * The read position in a StreamMessage body (a list of typed values) and the rules of reading it
 * (StreamMessage javadoc and section 3.11.3):
 * <ul>
 * <li>each read takes one field and converts it by table 3-7 ({@link Conversions}); past the last field,
 * MessageEOFException;</li>
 * <li>a read that fails (MessageFormatException, NumberFormatException, NullPointerException for a null
 * char) does not advance, so the field can be read again as another type;</li>
 * <li>{@code readBytes(byte[])} reads a byte[] field in pieces: it returns the bytes copied; a piece
 * shorter than the buffer ends the field; after a piece that filled the buffer exactly, the next call
 * returns -1 if nothing is left (and ends the field); an empty field gives 0 and a null field -1; while a
 * byte[] field is partly read, reading anything else (readObject included) is a MessageFormatException.</li>
 * </ul>
 */
final class StreamReader {

    private final List<Object> values;
    private int index;
    /** Bytes of the current byte[] field already returned by readBytes, or -1 when not inside one. */
    private int bytesRead = -1;

    StreamReader(List<Object> values) {
        this.values = values;
    }

    /** Back to the first field. */
    void rewind() {
        index = 0;
        bytesRead = -1;
    }

    /** The current field, without consuming it. */
    Object peek() throws MessageEOFException, MessageFormatException {
        if (bytesRead >= 0) {
            throw new MessageFormatException("a byte[] field is partly read with readBytes: read it to the end"
                    + " (until readBytes returns less than the buffer length, or -1) before reading another field");
        }
        if (index >= values.size()) {
            throw new MessageEOFException("end of the StreamMessage body (" + values.size() + " fields)");
        }
        return values.get(index);
    }

    /** Consumes the field {@link #peek()} returned, once it was converted successfully. */
    void advance() {
        index++;
    }

    /** The next field as an object (byte[] copied). */
    Object readObject() throws MessageEOFException, MessageFormatException {
        Object v = peek();
        index++;
        return Conversions.copy(v);
    }

    int readBytes(byte[] buffer) throws MessageEOFException, MessageFormatException {
        Objects.requireNonNull(buffer, "buffer");
        boolean started = bytesRead < 0;
        if (started) {
            Object v = peek();
            if (v == null) {
                index++;
                return -1;
            }
            if (!(v instanceof byte[])) {
                throw Conversions.cannot(v, "byte[]");
            }
            bytesRead = 0;
        }
        byte[] field = (byte[]) values.get(index);
        int left = field.length - bytesRead;
        if (left == 0) {
            endBytesField();
            return started ? 0 : -1;
        }
        int n = Math.min(left, buffer.length);
        System.arraycopy(field, bytesRead, buffer, 0, n);
        bytesRead += n;
        if (n < buffer.length) {
            endBytesField();
        }
        return n;
    }

    private void endBytesField() {
        bytesRead = -1;
        index++;
    }
}
