package hub.core.internal.request;

import hub.api.ModelRef;
import hub.api.inference.ModelStatistics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Per-model request counts and times of the request path, since start (what Prometheus and Triton users read). */
final class RequestStatistics {
    private static final class Counters {
        final LongAdder success = new LongAdder();
        final LongAdder failure = new LongAdder();
        final LongAdder inferences = new LongAdder();
        final LongAdder executions = new LongAdder();
        final LongAdder requestNanos = new LongAdder();
        final LongAdder queueNanos = new LongAdder();
        final LongAdder computeNanos = new LongAdder();
        volatile long last;
    }

    private final Map<ModelRef, Counters> models = new ConcurrentHashMap<>();

    /** A request that ran: {@code items} images or batches, its times split at the lease and at the answer. */
    void success(ModelRef ref, int items, long start, long leased, long end) {
        Counters c = models.computeIfAbsent(ref, r -> new Counters());
        c.success.increment();
        c.inferences.add(items);
        c.executions.increment();
        c.queueNanos.add(leased - start);
        c.computeNanos.add(end - leased);
        c.requestNanos.add(end - start);
        c.last = System.currentTimeMillis();
    }

    /** A request that failed after its model was leased. */
    void failure(ModelRef ref) {
        Counters c = models.computeIfAbsent(ref, r -> new Counters());
        c.failure.increment();
        c.executions.increment();
    }

    List<ModelStatistics> snapshot() {
        return models.entrySet().stream().map(e -> {
            Counters c = e.getValue();
            return new ModelStatistics(e.getKey(), c.success.sum(), c.failure.sum(), c.inferences.sum(),
                    c.executions.sum(), c.requestNanos.sum(), c.queueNanos.sum(), c.computeNanos.sum(), c.last);
        }).sorted(java.util.Comparator.comparing((ModelStatistics s) -> s.ref().name())
                .thenComparing(s -> s.ref().version())).toList();
    }
}
