package hub.metrics.internal;

import hub.api.ArtifactStore;
import hub.api.CacheInfo;
import hub.api.HubEvents;
import hub.api.LoadedModelInfo;
import hub.api.ModelHub;
import hub.api.TransferTotals;
import hub.api.access.Caller;
import hub.api.inference.Inference;
import hub.api.inference.ModelStatistics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;

/**
 * The hub's own figures on {@code /metrics}. Read at each scrape from the services: per model and version, Triton's
 * inference counters ({@code nv_inference_request_success}, {@code _failure}, {@code nv_inference_count},
 * {@code nv_inference_exec_count}, exposed with the {@code _total} suffix the Prometheus client gives every counter)
 * and the request, queue and compute durations as {@code hub_inference_*_duration_seconds} (Triton's are in
 * microseconds, a unit promtool's lint refuses in a name); the loaded models (memory, load time); the cache
 * (bytes used and limit) and the downloads (bytes, seconds, outcomes, retries). Counted from the hub's events: model
 * loads, unloads (by reason) and evictions, and seconds spent loading.
 */
@Component(service = EventHandler.class, property = "event.topics=hub/model/*")
public class HubCollector implements MultiCollector, EventHandler {
    private final PrometheusRegistry registry;
    private final Inference inference;
    private final ModelHub hub;
    private final ArtifactStore store;
    private final Counter loads;
    private final Counter loadSeconds;
    private final Counter unloads;

    /**
     * @param registry where to appear
     * @param inference the request path's statistics
     * @param hub the loaded models
     * @param store the cache and the transfers
     */
    @Activate
    public HubCollector(@Reference PrometheusRegistry registry, @Reference Inference inference,
            @Reference ModelHub hub, @Reference ArtifactStore store) {
        this.registry = registry;
        this.inference = inference;
        this.hub = hub;
        this.store = store;
        this.loads = Counter.builder().name("hub_model_loads").help("Model loads, by model, version and device")
                .labelNames("model", "version", "device").build();
        this.loadSeconds = Counter.builder().name("hub_model_load_seconds").help("Seconds spent loading models")
                .labelNames("model", "version").build();
        this.unloads = Counter.builder().name("hub_model_unloads").help("Models unloaded, by reason (idle, "
                + "memory-pressure, budget, request, switched-out, loader-gone); evictions are the memory-pressure and"
                + " budget ones").labelNames("model", "version", "reason").build();
        registry.register(loads);
        registry.register(loadSeconds);
        registry.register(unloads);
        registry.register(this);
    }

    @Deactivate
    void deactivate() {
        registry.unregister(this);
        registry.unregister(loads);
        registry.unregister(loadSeconds);
        registry.unregister(unloads);
    }

    @Override
    public void handleEvent(Event event) {
        String topic = event.getTopic();
        String model = String.valueOf(event.getProperty(HubEvents.MODEL));
        String version = String.valueOf(event.getProperty(HubEvents.VERSION));
        if (topic.endsWith("/LOADED")) {
            loads.labelValues(model, version, String.valueOf(event.getProperty(HubEvents.DEVICE))).inc();
            if (event.getProperty(HubEvents.DURATION_MS) instanceof Number ms) {
                loadSeconds.labelValues(model, version).inc(ms.doubleValue() / 1000);
            }
        } else if (topic.endsWith("/UNLOADED") || topic.endsWith("/EVICTED")) {
            Object reason = event.getProperty(HubEvents.REASON);
            unloads.labelValues(model, version, reason == null ? topic.substring(topic.lastIndexOf('/') + 1)
                    .toLowerCase(Locale.ROOT) : reason.toString()).inc();
        }
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        List<ModelStatistics> stats = inference.statistics(Caller.owner());
        out.add(counter("nv_inference_request_success", "Successful inference requests", stats,
                s -> s.success(), null));
        out.add(counter("nv_inference_request_failure", "Failed inference requests", stats, s -> s.failure(), null));
        out.add(counter("nv_inference_count", "Images (or tensor batches) inferred", stats, s -> s.inferences(),
                null));
        out.add(counter("nv_inference_exec_count", "Model executions", stats, s -> s.executions(), null));
        // Triton's nv_inference_*_duration_us, in seconds: promtool's lint refuses abbreviated units in names
        out.add(counter("hub_inference_request_duration_seconds", "Cumulative request time of successful requests"
                + " (Triton: nv_inference_request_duration_us)", stats, s -> s.requestNanos() / 1e9, Unit.SECONDS));
        out.add(counter("hub_inference_queue_duration_seconds", "Cumulative time before the model ran: resolving,"
                + " loading, leasing (Triton: nv_inference_queue_duration_us)", stats, s -> s.queueNanos() / 1e9,
                Unit.SECONDS));
        out.add(counter("hub_inference_compute_duration_seconds", "Cumulative time running the task: pre-processing,"
                + " the graph, post-processing (Triton: nv_inference_compute_infer_duration_us)", stats,
                s -> s.computeNanos() / 1e9, Unit.SECONDS));

        List<LoadedModelInfo> loaded = hub.loaded();
        GaugeSnapshot.Builder memory = GaugeSnapshot.builder().name("hub_model_memory_bytes")
                .help("Memory a loaded model holds (measured or estimated)").unit(Unit.BYTES);
        GaugeSnapshot.Builder loadTime = GaugeSnapshot.builder().name("hub_model_load_duration_seconds")
                .help("How long the loaded model's load took").unit(Unit.SECONDS);
        for (LoadedModelInfo i : loaded) {
            Labels l = Labels.of("model", i.ref().name(), "version", i.ref().version(), "device",
                    i.device().name().toLowerCase(Locale.ROOT));
            memory.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(l).value(i.memoryBytes()).build());
            loadTime.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(l)
                    .value(i.loadTime().toNanos() / 1e9).build());
        }
        out.add(memory.build());
        out.add(loadTime.build());
        out.add(gauge("hub_models_loaded", "Models loaded now", loaded.size(), null));

        CacheInfo cache = store.cacheInfo();
        out.add(gauge("hub_cache_used_bytes", "Bytes the model cache holds", cache.usedBytes(), Unit.BYTES));
        out.add(gauge("hub_cache_limit_bytes", "The model cache's limit", cache.limitBytes(), Unit.BYTES));
        TransferTotals t = store.transferTotals();
        out.add(CounterSnapshot.builder().name("hub_download_bytes").help("Bytes downloaded, failed attempts"
                + " included").unit(Unit.BYTES).dataPoint(point(t.bytes(), Labels.EMPTY)).build());
        out.add(CounterSnapshot.builder().name("hub_download_seconds").help("Seconds spent in transfers")
                .unit(Unit.SECONDS).dataPoint(point(t.nanos() / 1e9, Labels.EMPTY)).build());
        out.add(CounterSnapshot.builder().name("hub_downloads").help("Transfers by outcome: completed, reused (the"
                + " file was already complete), failed")
                .dataPoint(point(t.completed(), Labels.of("outcome", "completed")))
                .dataPoint(point(t.reused(), Labels.of("outcome", "reused")))
                .dataPoint(point(t.failed(), Labels.of("outcome", "failed"))).build());
        out.add(CounterSnapshot.builder().name("hub_download_retries").help("Transfer attempts that failed and"
                + " were retried").dataPoint(point(t.retries(), Labels.EMPTY)).build());
        return new MetricSnapshots(out);
    }

    private static CounterSnapshot counter(String name, String help, List<ModelStatistics> stats,
            ToDoubleFunction<ModelStatistics> value, Unit unit) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        if (unit != null) {
            b.unit(unit);
        }
        for (ModelStatistics s : stats) {
            b.dataPoint(point(value.applyAsDouble(s), Labels.of("model", s.ref().name(), "version",
                    s.ref().version())));
        }
        return b.build();
    }

    private static CounterSnapshot.CounterDataPointSnapshot point(double v, Labels labels) {
        return CounterSnapshot.CounterDataPointSnapshot.builder().value(v).labels(labels).build();
    }

    private static GaugeSnapshot gauge(String name, String help, double value, Unit unit) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build());
        if (unit != null) {
            b.unit(unit);
        }
        return b.build();
    }
}
