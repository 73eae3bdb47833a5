package io.keel.protocol.selector;

/**
 * The three truth values of SQL (Jakarta Messaging 3.1 section 3.8.1.2, "Null values"). A selector
 * selects a message only when it evaluates to TRUE.
 */
public enum Truth {
    TRUE, FALSE, UNKNOWN
}
