package io.keel.protocol.message;

/**
 * The byte layout of an encoded JMS message, format version 1. The bytes a client encodes are what the
 * broker's store appends and what the consumer receives; the broker reads the fixed headers with one
 * absolute get each, and properties by name (see {@link EncodedMessage}), without decoding.
 *
 * <pre>
 *  All integers are big-endian. i8/i16/i32/i64 are signed, u8/u16 unsigned.
 *
 *  offset     size  field
 *  ---------  ----  -----------------------------------------------------------------
 *          0     1  version          u8   = 1; anything else is rejected
 *          1     1  bodyType         u8   BodyType code: 0 MESSAGE 1 BYTES 2 MAP
 *                                         3 OBJECT 4 STREAM 5 TEXT
 *          2     1  flags            u8   bit 0: persistent; bits 1-7 must be 0
 *          3     1  priority         u8   0..9
 *          4     8  timestamp        i64  JMSTimestamp, ms since the epoch, 0 = not set
 *         12     8  expiration       i64  JMSExpiration, ms since the epoch, 0 = never
 *         20     8  deliveryTime     i64  JMSDeliveryTime, ms since the epoch
 *         28     4  headersLength H  i32  size of the variable header section
 *  +-------------------------------------------------------------------------------+
 *  |      32     H  variable headers, in this order:                               |
 *  |                  destination    dest     JMSDestination (first: fixed offset) |
 *  |                  replyTo        dest     JMSReplyTo                           |
 *  |                  messageId      string   JMSMessageID                         |
 *  |                  correlationId  corr     JMSCorrelationID                     |
 *  |                  type           string   JMSType                              |
 *  +-------------------------------------------------------------------------------+
 *       32+H     4  propertiesLength P   i32
 *       36+H     P  properties: zero or more { name: string (not null), value: typed },
 *                   names unique, values of property types only (see ValueType)
 *     36+H+P     4  bodyLength B     i32  -1 = null body (TEXT and OBJECT only)
 *     40+H+P     B  body, by bodyType:
 *                     MESSAGE  nothing (B = 0)
 *                     TEXT     the text in UTF-8
 *                     BYTES    the bytes
 *                     OBJECT   the Java-serialized object (done by the client)
 *                     MAP      zero or more { name: string (not null), value: typed }, names unique
 *                     STREAM   zero or more { value: typed }
 *  total length = 40 + H + P + max(B, 0); nothing may follow.
 *
 *  string := i32 n, then n bytes of UTF-8;  n = -1 encodes null (no bytes follow)
 *  dest   := u8 kind: 0 = none (no name follows), 1 QUEUE, 2 TOPIC, 3 TEMPORARY_QUEUE,
 *            4 TEMPORARY_TOPIC, then the name as a string (not null)
 *  corr   := u8 0 = none | u8 1, string (not null) | u8 2, i32 n, n bytes (the byte[] form)
 *  typed  := u8 tag, then:   0 NULL     nothing          6 LONG    i64
 *                            1 BOOLEAN  u8 0 or 1        7 FLOAT   i32 IEEE 754 bits
 *                            2 BYTE     i8               8 DOUBLE  i64 IEEE 754 bits
 *                            3 SHORT    i16              9 STRING  i32 n (not -1), n UTF-8 bytes
 *                            4 CHAR     u16             10 BYTES   i32 n (not -1), n bytes
 *            (properties use tags 0-3 and 5-9 only: no CHAR, no BYTES)
 * </pre>
 *
 * <p>UTF-8 here is "generalized" UTF-8 (as in WTF-8): a Java string that is valid UTF-16 is encoded as
 * standard UTF-8, and an unpaired surrogate as the 3-byte form of its code unit, so that every Java
 * {@code String} round-trips exactly (the JDK encoder would replace it by '?'). The encoding of a
 * string is unique, so names compare equal exactly when their bytes do. Decoders reject overlong forms,
 * code points above U+10FFFF, a 3-byte high surrogate directly followed by a 3-byte low surrogate (that
 * pair must be one 4-byte sequence), and any other malformed sequence.
 *
 * <p>Why this shape: the fixed part gives the broker priority, expiration, delivery time and
 * persistence at constant offsets; the destination comes first among the variable headers so its
 * offset is constant too; the section lengths let a reader jump to the properties or the body without
 * parsing what precedes them, and let a decoder check every length against the bytes that are really
 * there before it allocates anything.
 */
public final class MessageLayout {

    /** The current (and only) format version. */
    public static final int VERSION = 1;

    public static final int OFF_VERSION = 0;
    public static final int OFF_BODY_TYPE = 1;
    public static final int OFF_FLAGS = 2;
    public static final int OFF_PRIORITY = 3;
    public static final int OFF_TIMESTAMP = 4;
    public static final int OFF_EXPIRATION = 12;
    public static final int OFF_DELIVERY_TIME = 20;
    public static final int OFF_HEADERS_LENGTH = 28;
    /** Size of the fixed part; the variable headers start here. */
    public static final int FIXED_SIZE = 32;
    /** The destination kind byte (first variable header). */
    public static final int OFF_DESTINATION = FIXED_SIZE;

    /** Flag bit: JMSDeliveryMode is PERSISTENT. */
    public static final int FLAG_PERSISTENT = 0x01;
    /** All flag bits this version defines; a decoder rejects others. */
    public static final int KNOWN_FLAGS = FLAG_PERSISTENT;

    /** Length value encoding a null string or a null body. */
    public static final int NULL_LENGTH = -1;

    /** Destination kind byte meaning "no destination". */
    public static final int DEST_NONE = 0;

    public static final int CORR_NONE = 0;
    public static final int CORR_STRING = 1;
    public static final int CORR_BYTES = 2;

    /** Smallest variable header section: two empty dests, two null strings, no correlation id. */
    public static final int MIN_HEADERS_LENGTH = 1 + 1 + 4 + 1 + 4;
    /** Smallest possible message. */
    public static final int MIN_SIZE = FIXED_SIZE + MIN_HEADERS_LENGTH + 4 + 4;

    private MessageLayout() {
    }
}
