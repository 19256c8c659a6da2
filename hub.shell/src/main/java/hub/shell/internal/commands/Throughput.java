package hub.shell.internal.commands;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Requests per second and latency percentiles of a call made by several concurrent clients (hub bench). */
public final class Throughput {
    /**
     * @param clients concurrent callers
     * @param requests calls in all
     * @param perSecond completed calls per second of wall time
     * @param p50Millis median latency
     * @param p99Millis 99th percentile latency
     */
    public record Result(int clients, int requests, double perSecond, double p50Millis, double p99Millis) {
        /** @return one line: clients, requests per second, p50, p99 */
        public String line() {
            return String.format(java.util.Locale.ROOT, "clients %2d: %7.1f requests/s  p50 %7.2f ms  p99 %7.2f ms",
                    clients, perSecond, p50Millis, p99Millis);
        }
    }

    private Throughput() {
    }

    /**
     * @param call one request
     * @param clients concurrent callers
     * @param requests calls in all (after a warm-up of one call per client)
     * @return the figures
     * @throws Exception the first failure of a call
     */
    public static Result measure(Callable<?> call, int clients, int requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> warm = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                warm.add(pool.submit(call));
            }
            for (Future<?> f : warm) {
                f.get();
            }
            long[] latencies = new long[requests];
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        long t = System.nanoTime();
                        call.call();
                        latencies[i] = System.nanoTime() - t;
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(latencies);
            return new Result(clients, requests, requests / seconds, latencies[(int) Math.ceil(requests * 0.5) - 1] / 1e6,
                    latencies[(int) Math.ceil(requests * 0.99) - 1] / 1e6);
        } finally {
            pool.shutdownNow();
        }
    }
}
