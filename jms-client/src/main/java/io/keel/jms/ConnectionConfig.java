package io.keel.jms;

import java.io.Serializable;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of a connection factory, parsed from its URL:
 * {@code keel://host:port[,host:port...][?option=value&...]}. The addresses are name servers or
 * brokers (a broker answers route queries about itself); they are tried in order. Options:
 * <table>
 *   <caption>URL options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>clientId</td><td>none</td><td>client id of every connection (then only one connection at a time)</td></tr>
 *   <tr><td>user, password</td><td>none</td><td>credentials</td></tr>
 *   <tr><td>prefetch</td><td>1000</td><td>messages a consumer may hold before the application takes them</td></tr>
 *   <tr><td>sendTimeout</td><td>30000</td><td>ms to wait for the broker to confirm a send or any request</td></tr>
 *   <tr><td>connectTimeout</td><td>10000</td><td>ms to wait for a TCP connection</td></tr>
 *   <tr><td>heartbeat</td><td>10000</td><td>ms between heartbeats; a broker silent for 3 is considered gone</td></tr>
 *   <tr><td>reconnectTimeout</td><td>60000</td><td>ms a connection that lost its broker keeps trying to reconnect
 *       (re-resolving the broker through the name servers) before it fails; 0 = no reconnection</td></tr>
 *   <tr><td>reconnectDelay</td><td>100</td><td>ms before the first reconnection attempt; doubled after each failed one</td></tr>
 *   <tr><td>maxReconnectDelay</td><td>2000</td><td>upper bound of the delay between attempts</td></tr>
 *   <tr><td>nonPersistentWindow</td><td>1000</td><td>non-persistent sends (outside transactions, without a
 *       CompletionListener) a session may have unanswered; 0 = each waits for the broker</td></tr>
 *   <tr><td>trustedPackages</td><td>java.lang,java.util,java.math,java.time,java.net</td>
 *       <td>package prefixes ObjectMessage may deserialise (comma separated; {@code *} = all)</td></tr>
 * </table>
 * Unknown options are refused, so a typo does not silently fall back to a default.
 */
public record ConnectionConfig(List<String> addresses, String clientId, String user, String password, int prefetch,
        long sendTimeoutMillis, long connectTimeoutMillis, int heartbeatMillis, List<String> trustedPackages,
        long reconnectTimeoutMillis, long reconnectDelayMillis, long maxReconnectDelayMillis, int nonPersistentWindow)
        implements Serializable {

    public static final String SCHEME = "keel://";
    public static final List<String> DEFAULT_TRUSTED = io.keel.jms.message.TrustedPackages.DEFAULT_PREFIXES;
    static final List<String> OPTIONS = List.of("clientId", "user", "password", "prefetch", "sendTimeout",
            "connectTimeout", "heartbeat", "trustedPackages", "reconnectTimeout", "reconnectDelay", "maxReconnectDelay", "nonPersistentWindow");

    /** Parses a URL; throws IllegalArgumentException naming the URL and what is wrong with it. */
    public static ConnectionConfig parse(String url) {
        if (url == null || !url.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
            throw new IllegalArgumentException("connection URL '" + url + "' does not start with " + SCHEME
                    + " (keel://host:port[,host:port...][?option=value&...])");
        }
        String rest = url.substring(SCHEME.length());
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        List<String> addresses = new ArrayList<>();
        for (String a : rest.split(",")) {
            String address = a.trim();
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || colon == address.length() - 1) {
                throw new IllegalArgumentException("connection URL '" + url + "': '" + address + "' is not host:port");
            }
            int port;
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("connection URL '" + url + "': port of '" + address + "' is not a number");
            }
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("connection URL '" + url + "': port " + port + " is not within 1-65535");
            }
            addresses.add(address);
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (!OPTIONS.contains(key)) {
                    throw new IllegalArgumentException("connection URL '" + url + "': unknown option '" + key
                            + "'; the options are " + OPTIONS);
                }
                options.put(key, value);
            }
        }
        List<String> trusted = options.containsKey("trustedPackages")
                ? List.of(options.get("trustedPackages").split("\\s*,\\s*")) : DEFAULT_TRUSTED;
        return new ConnectionConfig(List.copyOf(addresses), blank(options.get("clientId")), blank(options.get("user")),
                options.get("password"), (int) number(url, options, "prefetch", 1000, 1, 1_000_000),
                number(url, options, "sendTimeout", 30_000, 1, Long.MAX_VALUE),
                number(url, options, "connectTimeout", 10_000, 1, Long.MAX_VALUE),
                (int) number(url, options, "heartbeat", 10_000, 0, Integer.MAX_VALUE), trusted,
                number(url, options, "reconnectTimeout", 60_000, 0, Long.MAX_VALUE),
                number(url, options, "reconnectDelay", 100, 1, Long.MAX_VALUE),
                number(url, options, "maxReconnectDelay", 2_000, 1, Long.MAX_VALUE),
                (int) number(url, options, "nonPersistentWindow", 1000, 0, 1_000_000));
    }

    private static String blank(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static long number(String url, Map<String, String> options, String key, long dflt, long min, long max) {
        String v = options.get(key);
        if (v == null) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("connection URL '" + url + "': " + key + "='" + v + "' is not a number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("connection URL '" + url + "': " + key + "=" + n + " is not within "
                    + min + "-" + max);
        }
        return n;
    }

    /** The same settings with other credentials (createConnection(user, password)). */
    ConnectionConfig withCredentials(String u, String p) {
        return new ConnectionConfig(addresses, clientId, u, p, prefetch, sendTimeoutMillis, connectTimeoutMillis,
                heartbeatMillis, trustedPackages, reconnectTimeoutMillis, reconnectDelayMillis, maxReconnectDelayMillis,
                nonPersistentWindow);
    }

    /** Whether a connection that lost its broker tries to reconnect. */
    public boolean reconnects() {
        return reconnectTimeoutMillis > 0;
    }

    /** The URL these settings came from, without the password. */
    public String describe() {
        return SCHEME + String.join(",", addresses) + (clientId == null ? "" : "?clientId=" + clientId);
    }
}
