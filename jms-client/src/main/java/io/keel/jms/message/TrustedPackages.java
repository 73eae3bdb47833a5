package io.keel.jms.message;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.jms.MessageFormatException;

/**
 * The classes {@code ObjectMessage.getObject()} may deserialise: an allow-list of package (or class) name
 * prefixes, enforced with an {@link ObjectInputFilter} so that a class outside it is refused before any of
 * its code runs. Java deserialisation of untrusted bytes can execute code (gadget chains), and an
 * ObjectMessage body comes from whoever could send to the destination, hence a list rather than trust.
 *
 * <p>A prefix {@code p} admits the classes named {@code p} or {@code p.*} at any depth ("java.util" admits
 * java.util.ArrayList and java.util.concurrent.ConcurrentHashMap, not java.utilities.X); a trailing ".*"
 * or "." is ignored. "*" admits every class. Arrays are judged by their element class; primitives and
 * arrays of primitives are always admitted. The JVM-wide serial filter, when one is configured, applies
 * as well.
 *
 * <p>The consumer gives each received ObjectMessage the list of its connection factory option
 * {@code trustedPackages}; messages without one use {@link #DEFAULT}. Immutable and thread-safe.
 */
public final class TrustedPackages {

    /** java.lang, java.util, java.math, java.time, java.net. */
    public static final List<String> DEFAULT_PREFIXES = List.of("java.lang", "java.util", "java.math", "java.time",
            "java.net");

    /** The default list, {@link #DEFAULT_PREFIXES}. */
    public static final TrustedPackages DEFAULT = new TrustedPackages(DEFAULT_PREFIXES);

    /** Trusts every class: only for senders one trusts as much as one's own code. */
    public static final TrustedPackages ALL = new TrustedPackages(List.of("*"));

    private final List<String> prefixes;
    private final boolean all;

    /** The given prefixes; blank entries are ignored, "*" trusts every class. */
    public TrustedPackages(Collection<String> prefixes) {
        List<String> list = new ArrayList<>();
        boolean any = false;
        for (String p : prefixes) {
            if (p == null || p.isBlank()) {
                continue;
            }
            String s = p.trim();
            if (s.equals("*")) {
                any = true;
            }
            if (s.endsWith(".*")) {
                s = s.substring(0, s.length() - 2);
            } else if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
            list.add(s);
        }
        this.prefixes = List.copyOf(list);
        this.all = any;
    }

    /** A comma-separated list, as in the {@code trustedPackages} option. */
    public static TrustedPackages parse(String commaSeparated) {
        return new TrustedPackages(List.of(commaSeparated.split(",")));
    }

    /** The prefixes as normalised ("*" included if given). */
    public List<String> prefixes() {
        return prefixes;
    }

    /** Whether every class is trusted ("*"). */
    public boolean trustsAll() {
        return all;
    }

    /** Whether {@code c} may be deserialised. */
    public boolean isTrusted(Class<?> c) {
        while (c.isArray()) {
            c = c.getComponentType();
        }
        return c.isPrimitive() || isTrusted(c.getName());
    }

    /** Whether the class of this binary name may be deserialised (arrays: use {@link #isTrusted(Class)}). */
    public boolean isTrusted(String className) {
        if (all) {
            return true;
        }
        for (String p : prefixes) {
            if (className.startsWith(p) && (className.length() == p.length() || className.charAt(p.length()) == '.')) {
                return true;
            }
        }
        return false;
    }

    /**
     * Deserialises one object. MessageFormatException (a JMSException, and what {@code getBody} must
     * throw when deserialisation fails) if the bytes are not a serialised object, if a class cannot be
     * found, or if a class is not trusted: then the message names the class and the option to set, and
     * the class was never instantiated.
     */
    Serializable deserialize(byte[] bytes) throws MessageFormatException {
        Filter filter = new Filter();
        try (ObjectInputStream in = new FilteredStream(new ByteArrayInputStream(bytes), filter)) {
            ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
            in.setObjectInputFilter(global == null ? filter : ObjectInputFilter.merge(filter, global));
            Object o = in.readObject();
            if (o != null && !(o instanceof Serializable)) {
                throw new MessageFormatException("ObjectMessage body is a " + o.getClass().getName()
                        + ", which is not Serializable");
            }
            return (Serializable) o;
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            MessageFormatException mfe;
            if (filter.rejected != null) {
                mfe = new MessageFormatException("ObjectMessage body class " + filter.rejected
                        + " is not trusted for deserialisation, so it was not deserialised; to trust it, add its"
                        + " package (e.g. " + packageOf(filter.rejected) + ") to the connection factory option"
                        + " trustedPackages (comma-separated prefixes, now " + String.join(",", prefixes)
                        + "; \"*\" trusts every class)");
            } else {
                mfe = new MessageFormatException("ObjectMessage body cannot be deserialised: " + e);
            }
            mfe.setLinkedException(e);
            mfe.initCause(e);
            throw mfe;
        }
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(0, dot);
    }

    @Override
    public String toString() {
        return "TrustedPackages" + prefixes;
    }

    /** The allow-list check; remembers the first refused class for the error message. */
    private final class Filter implements ObjectInputFilter {
        String rejected;

        @Override
        public Status checkInput(FilterInfo info) {
            Class<?> c = info.serialClass();
            if (c == null) {
                return Status.UNDECIDED;
            }
            if (isTrusted(c)) {
                return Status.ALLOWED;
            }
            Class<?> e = c;
            while (e.isArray()) {
                e = e.getComponentType();
            }
            reject(e.getName());
            return Status.REJECTED;
        }

        void reject(String className) {
            if (rejected == null) {
                rejected = className;
            }
        }
    }

    /**
     * Checks each class name against the list before loading it (so an untrusted class is not even
     * loaded, and one that is missing is still reported as untrusted), then resolves it through the
     * thread's context class loader first, so that application classes are found when the client
     * library sits in a parent class loader (application servers). Classes are loaded without being
     * initialised.
     */
    private final class FilteredStream extends ObjectInputStream {
        private final Filter filter;

        FilteredStream(InputStream in, Filter filter) throws IOException {
            super(in);
            this.filter = filter;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            String name = elementName(desc.getName());
            if (name != null && !isTrusted(name)) {
                filter.reject(name);
                throw new InvalidClassException(name, "not in the trusted packages");
            }
            ClassLoader tccl = Thread.currentThread().getContextClassLoader();
            if (tccl != null) {
                try {
                    return Class.forName(desc.getName(), false, tccl);
                } catch (ClassNotFoundException notThere) {
                    // fall back to the default resolution below
                }
            }
            return super.resolveClass(desc);
        }
    }

    /** The element class name of a binary (or array descriptor) name; null for primitive arrays. */
    private static String elementName(String binaryName) {
        if (!binaryName.startsWith("[")) {
            return binaryName;
        }
        String s = binaryName.substring(binaryName.lastIndexOf('[') + 1);
        return s.startsWith("L") && s.endsWith(";") ? s.substring(1, s.length() - 1) : null;
    }
}
