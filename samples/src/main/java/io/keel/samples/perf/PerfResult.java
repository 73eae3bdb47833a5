package io.keel.samples.perf;

import java.io.PrintWriter;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * The figures of one JmsPerf run. Rates count what completed inside the measured window (a send when
 * the provider confirmed it or its transaction committed, a message when the consumer's listener got
 * it); totals include the warm-up and the drain. Latencies are in nanoseconds in the histograms and
 * printed in microseconds.
 *
 * @param e2e   end to end, intended send time to the consumer's listener, of the messages meant to
 *              be sent inside the window
 * @param send  one synchronous send, one asynchronous send until its CompletionListener, or one
 *              transaction from its first send to the end of its commit
 * @param behind with --rate: scheduled sends not made because the provider could not keep up
 */
public record PerfResult(String description, double windowSeconds, long sentInWindow, long receivedInWindow,
        long sentTotal, long receivedTotal, long expected, Histogram e2e, Histogram send, long behind, long errors,
        Throwable firstError, double drainSeconds) {

    public double sentPerSecond() {
        return sentInWindow / windowSeconds;
    }

    public double receivedPerSecond() {
        return receivedInWindow / windowSeconds;
    }

    /** Deliveries owed but never seen by the end of the drain. */
    public long undelivered() {
        return Math.max(0, expected - receivedTotal);
    }

    /** A percentile of the end-to-end latency in microseconds. */
    public double e2eMicros(double percentile) {
        return micros(e2e, percentile);
    }

    private static double micros(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    public void print(PrintWriter out, String resultPrefix) {
        out.println("JmsPerf " + description);
        out.printf(Locale.ROOT, "sent      %,12.0f msgs/s  (%,d in the window, %,d in all)%n", sentPerSecond(),
                sentInWindow, sentTotal);
        out.printf(Locale.ROOT, "received  %,12.0f msgs/s  (%,d in the window, %,d in all, %,d owed)%n",
                receivedPerSecond(), receivedInWindow, receivedTotal, expected);
        out.println("end-to-end latency " + percentiles(e2e));
        out.println("send latency       " + percentiles(send));
        out.printf(Locale.ROOT, "errors %d, undelivered %d, behind schedule %d, drain %.2f s%n", errors, undelivered(),
                behind, drainSeconds);
        if (firstError != null) {
            out.println("first error: " + firstError);
        }
        out.println(summary());
        result(out, resultPrefix, "sent_per_s", Math.round(sentPerSecond()));
        result(out, resultPrefix, "received_per_s", Math.round(receivedPerSecond()));
        for (String[] p : new String[][] {{"p50", "50"}, {"p90", "90"}, {"p99", "99"}, {"p99_9", "99.9"}, {"max", "100"}}) {
            result(out, resultPrefix, "e2e_" + p[0] + "_us", Math.round(e2eMicros(Double.parseDouble(p[1]))));
        }
        result(out, resultPrefix, "errors", errors);
        result(out, resultPrefix, "undelivered", undelivered());
    }

    /** The one-line summary. */
    public String summary() {
        return String.format(Locale.ROOT,
                "SUMMARY sent/s=%.0f received/s=%.0f e2e_us p50=%.0f p90=%.0f p99=%.0f p99.9=%.0f max=%.0f errors=%d undelivered=%d",
                sentPerSecond(), receivedPerSecond(), e2eMicros(50), e2eMicros(90), e2eMicros(99), e2eMicros(99.9),
                e2eMicros(100), errors, undelivered());
    }

    private static String percentiles(Histogram h) {
        return String.format(Locale.ROOT, "us: p50 %,.0f  p90 %,.0f  p99 %,.0f  p99.9 %,.0f  max %,.0f  (n=%,d)",
                micros(h, 50), micros(h, 90), micros(h, 99), micros(h, 99.9), micros(h, 100), h.getTotalCount());
    }

    private static void result(PrintWriter out, String prefix, String name, long value) {
        out.println("RESULT " + prefix + "." + name + "=" + value);
    }
}
