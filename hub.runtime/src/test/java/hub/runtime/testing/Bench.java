package hub.runtime.testing;

import java.util.Arrays;

/** Figures for the benchmark commands: percentiles of per-run nanoseconds, printed the same way by every family. */
public final class Bench {
    private Bench() {
    }

    /** Prints images per second (from p50), p50 and p99 of one measured stage. */
    public static void line(String what, long[] ns) {
        System.out.printf("%-34s %7.1f images/s  p50 %8.2f ms  p99 %8.2f ms%n", what, 1e9 / pct(ns, 50),
                pct(ns, 50) / 1e6, pct(ns, 99) / 1e6);
    }

    /** Prints the p50 ratio of a stage to its baseline. */
    public static void ratio(String what, long[] ns, long[] baseline) {
        System.out.printf("%-34s %.2f%n", what, (double) pct(ns, 50) / pct(baseline, 50));
    }

    /** The p-th percentile (nearest rank). */
    public static long pct(long[] v, int p) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, Math.max(0, (int) Math.ceil(s.length * p / 100.0) - 1))];
    }

    /** Runs an action, returning the nanoseconds it took. */
    public static long time(Action a) throws Exception {
        long t = System.nanoTime();
        a.run();
        return System.nanoTime() - t;
    }

    /** A measured action. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }
}
