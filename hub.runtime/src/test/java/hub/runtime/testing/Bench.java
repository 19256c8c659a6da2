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

    /**
     * Prints a figure beside its target and whether it is met.
     *
     * @param what the figure's name
     * @param value the figure
     * @param unit its unit ("x" for a ratio, "ms", "ns")
     * @param target the largest value that meets the target
     * @return whether it is met
     */
    public static boolean target(String what, double value, String unit, double target) {
        boolean met = value <= target;
        System.out.printf("TARGET %-34s %8.2f %-2s  (target <= %.2f %s: %s)%n", what, value, unit, target, unit,
                met ? "met" : "NOT met");
        return met;
    }

    /** @return the p50 of {@code ns} over the p50 of {@code baseline} */
    public static double ratioOf(long[] ns, long[] baseline) {
        return (double) pct(ns, 50) / pct(baseline, 50);
    }

    /** @return the p50 in milliseconds */
    public static double ms(long[] ns) {
        return pct(ns, 50) / 1e6;
    }

    /**
     * @param whole per-run totals
     * @param parts per-run parts, measured in the same runs
     * @return per run, the total less the parts (what the parts do not account for)
     */
    public static long[] rest(long[] whole, long[]... parts) {
        long[] out = whole.clone();
        for (long[] p : parts) {
            for (int i = 0; i < out.length; i++) {
                out[i] -= p[i];
            }
        }
        return out;
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
