package io.keel.broker.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * One stored password, as written after {@code user =} in a {@link UsersFile}:
 * <ul>
 *   <li>{@code pbkdf2-sha256:<iterations>:<base64 salt>:<base64 hash>}: PBKDF2 with HMAC-SHA256 (the
 *       JDK's {@code PBKDF2WithHmacSHA256}), the hash being the derived key. What {@code keel users add}
 *       writes: a 16-byte random salt, a 32-byte hash and {@link #DEFAULT_ITERATIONS} iterations.</li>
 *   <li>{@code plain:<password>}: the password itself, for test and development files only; anyone who
 *       can read the file can log in as that user. The broker warns about every such user when it loads
 *       the file.</li>
 * </ul>
 * Comparisons are constant-time ({@link MessageDigest#isEqual}), so the time taken does not reveal how
 * much of a guess was right.
 */
public final class PasswordHash {

    public static final String PBKDF2 = "pbkdf2-sha256";
    public static final String PLAIN = "plain";
    /**
     * Iterations of new hashes. PBKDF2 is slow on purpose; 100,000 costs about 25 ms of one core per login
     * (measured on the 2-core build machine, warm JIT), which a broker can afford for connections that
     * usually live for hours, while a stolen file costs an attacker that much per guess. Operators who
     * want OWASP's 600,000 pass {@code --iterations} to {@code keel users add}.
     */
    public static final int DEFAULT_ITERATIONS = 100_000;
    /** Fewer iterations than this are refused as too weak to be anything but a mistake. */
    public static final int MIN_ITERATIONS = 1_000;
    public static final int MAX_ITERATIONS = 100_000_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final int MIN_SALT_BYTES = 8;
    private static final int MIN_HASH_BYTES = 16;
    private static final int MAX_HASH_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String scheme;
    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(String scheme, int iterations, byte[] salt, byte[] hash) {
        this.scheme = scheme;
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** A new PBKDF2 hash of {@code password} with a fresh random salt, in its stored form. */
    public static String encode(char[] password, int iterations) {
        checkIterations(iterations);
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = pbkdf2(password, salt, iterations, HASH_BYTES);
        Base64.Encoder b64 = Base64.getEncoder();
        return PBKDF2 + ":" + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
    }

    /**
     * Parses a stored password; throws IllegalArgumentException naming the rule broken (never quoting
     * the value, which may be a password).
     */
    public static PasswordHash parse(String stored) {
        int colon = stored.indexOf(':');
        String scheme = colon < 0 ? stored : stored.substring(0, colon);
        if (scheme.equals(PLAIN) && colon >= 0) {
            return new PasswordHash(PLAIN, 0, null, sha256(stored.substring(colon + 1)));
        }
        if (!scheme.equals(PBKDF2)) {
            // The value may be a password typed in by mistake: name the scheme only when there clearly is one.
            String found = colon < 0 ? "a value without a scheme" : scheme.matches("[a-z0-9-]{1,20}")
                    ? "scheme '" + scheme + "'" : "an unknown scheme";
            throw new IllegalArgumentException("the password must be '" + PBKDF2
                    + ":<iterations>:<base64 salt>:<base64 hash>' (or '" + PLAIN + ":<password>' for tests), not "
                    + found);
        }
        String[] parts = stored.split(":", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("a " + PBKDF2 + " password has 4 fields separated by ':' "
                    + "(scheme, iterations, salt, hash), not " + parts.length);
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the iteration count '" + parts[1] + "' is not a whole number");
        }
        checkIterations(iterations);
        byte[] salt = base64(parts[2], "salt");
        byte[] hash = base64(parts[3], "hash");
        if (salt.length < MIN_SALT_BYTES) {
            throw new IllegalArgumentException("the salt has " + salt.length + " bytes; at least " + MIN_SALT_BYTES
                    + " are needed");
        }
        if (hash.length < MIN_HASH_BYTES || hash.length > MAX_HASH_BYTES) {
            throw new IllegalArgumentException("the hash has " + hash.length + " bytes; " + MIN_HASH_BYTES + " to "
                    + MAX_HASH_BYTES + " are allowed");
        }
        return new PasswordHash(PBKDF2, iterations, salt, hash);
    }

    /** Whether {@code password} is this one. Slow for PBKDF2 (that is the point); null never matches. */
    public boolean matches(String password) {
        if (password == null) {
            return false;
        }
        if (scheme.equals(PLAIN)) {
            // Digests first: isEqual is constant-time only for equal lengths.
            return MessageDigest.isEqual(sha256(password), hash);
        }
        char[] chars = password.toCharArray();
        try {
            return MessageDigest.isEqual(pbkdf2(chars, salt, iterations, hash.length), hash);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** {@link #PBKDF2} or {@link #PLAIN}. */
    public String scheme() {
        return scheme;
    }

    /** PBKDF2 iterations (0 for plain passwords). */
    public int iterations() {
        return iterations;
    }

    /** Throws IllegalArgumentException unless {@code iterations} is within the allowed range. */
    public static void checkIterations(int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("the iteration count " + iterations + " is not within "
                    + MIN_ITERATIONS + "-" + MAX_ITERATIONS);
        }
    }

    private static byte[] base64(String s, String what) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " is not valid base64 (" + e.getMessage() + ")");
        }
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            // Every Java 17 runtime ships PBKDF2WithHmacSHA256; missing it is a broken JDK, not bad input.
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK: " + e, e);
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }
}
