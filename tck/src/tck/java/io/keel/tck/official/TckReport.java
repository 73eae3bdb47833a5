package io.keel.tck.official;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The verdict of an official TCK run: reads Failsafe's {@code TEST-*.xml} reports, prints classes,
 * tests, passed and failed per package group (core, core/appclient, core20, core20/appclient), lists
 * every failing test with the first line of its message, and writes the same as Markdown to
 * {@code tck-report.md} next to the reports (for docs/conformance.md).
 *
 * <p>The build fails (an exception out of {@code main}, which exec:java reports) when a test failed
 * that is not a known defect of the TCK itself ({@code known-tck-defects.properties}), or when there
 * are no results at all. Failsafe runs with {@code testFailureIgnore} so that this table is always
 * printed and so that the two documented TCK defects do not fail every run; anything else does.
 */
public final class TckReport {

    /** Package groups in report order; the first matching prefix wins. */
    private static final Map<String, String> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("com.sun.ts.tests.jms.core.appclient.", "core/appclient");
        GROUPS.put("com.sun.ts.tests.jms.core20.appclient.", "core20/appclient");
        GROUPS.put("com.sun.ts.tests.jms.core.", "core");
        GROUPS.put("com.sun.ts.tests.jms.core20.", "core20");
    }

    private static final List<String> ORDER = List.of("core", "core/appclient", "core20", "core20/appclient");

    private record Failure(String test, String message) {
    }

    private static final class Row {
        int classes;
        int tests;
        int failed;
        int skipped;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: TckReport <failsafe-reports directory>");
        }
        Path dir = Path.of(args[0]);
        Properties known = new Properties();
        try (InputStream in = TckReport.class.getResourceAsStream("/known-tck-defects.properties")) {
            if (in != null) {
                known.load(in);
            }
        }
        Map<String, Row> rows = new TreeMap<>((a, b) -> rank(a) - rank(b) != 0 ? rank(a) - rank(b) : a.compareTo(b));
        List<Failure> failures = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "TEST-*.xml")) {
                for (Path f : files) {
                    read(f, rows, failures);
                }
            }
        }
        failures.sort((a, b) -> a.test.compareTo(b.test));

        StringBuilder md = new StringBuilder();
        md.append("| group | classes | tests | passed | failed |\n|---|---:|---:|---:|---:|\n");
        Row total = new Row();
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            md.append(line(e.getKey(), r));
            total.classes += r.classes;
            total.tests += r.tests;
            total.failed += r.failed;
            total.skipped += r.skipped;
        }
        md.append(line("**total**", total));
        if (total.skipped > 0) {
            md.append("\n").append(total.skipped).append(" test(s) skipped (counted neither passed nor failed).\n");
        }
        List<Failure> unexpected = new ArrayList<>();
        if (!failures.isEmpty()) {
            md.append("\nFailing tests:\n\n");
            for (Failure f : failures) {
                String reason = known.getProperty(f.test);
                md.append("- `").append(f.test).append("`: ")
                        .append(reason != null ? "known TCK defect: " + reason : "FAILED: " + f.message).append('\n');
                if (reason == null) {
                    unexpected.add(f);
                }
            }
        }
        String report = md.toString();
        if (Files.isDirectory(dir)) {
            Files.writeString(dir.resolve("tck-report.md"), report, StandardCharsets.UTF_8);
        }
        System.out.println();
        System.out.println("Official Jakarta Messaging TCK against Keel (" + dir + ")");
        System.out.println();
        System.out.print(report);
        System.out.println();
        if (total.tests == 0) {
            throw new IllegalStateException("no TCK results in " + dir + ": did the tests run?");
        }
        if (!unexpected.isEmpty()) {
            throw new IllegalStateException(unexpected.size() + " TCK test(s) failed that are not known TCK defects: "
                    + unexpected.stream().map(Failure::test).toList());
        }
    }

    private static int rank(String group) {
        int i = ORDER.indexOf(group);
        return i < 0 ? ORDER.size() : i;
    }

    private static String line(String group, Row r) {
        return "| " + group + " | " + r.classes + " | " + r.tests + " | " + (r.tests - r.failed - r.skipped) + " | "
                + r.failed + " |\n";
    }

    private static void read(Path file, Map<String, Row> rows, List<Failure> failures) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        // Our own build output, but there is no reason to let an XML file reach outside itself.
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc;
        try (InputStream in = Files.newInputStream(file)) {
            doc = dbf.newDocumentBuilder().parse(in);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Element suite = doc.getDocumentElement();
        String className = suite.getAttribute("name");
        Row row = rows.computeIfAbsent(group(className), g -> new Row());
        row.classes++;
        NodeList cases = suite.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element tc = (Element) cases.item(i);
            row.tests++;
            Element bad = firstChild(tc, "failure", "error");
            if (bad != null) {
                row.failed++;
                String cls = tc.getAttribute("classname").isEmpty() ? className : tc.getAttribute("classname");
                failures.add(new Failure(cls + "#" + tc.getAttribute("name"), firstLine(bad)));
            } else if (firstChild(tc, "skipped") != null) {
                row.skipped++;
            }
        }
    }

    private static String group(String className) {
        for (Map.Entry<String, String> g : GROUPS.entrySet()) {
            if (className.startsWith(g.getKey())) {
                return g.getValue();
            }
        }
        return "other";
    }

    private static Element firstChild(Element parent, String... names) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                for (String name : names) {
                    if (name.equals(e.getTagName())) {
                        return e;
                    }
                }
            }
        }
        return null;
    }

    private static String firstLine(Element failure) {
        String m = failure.getAttribute("message");
        if (m.isBlank()) {
            m = failure.getAttribute("type");
        }
        m = m.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
