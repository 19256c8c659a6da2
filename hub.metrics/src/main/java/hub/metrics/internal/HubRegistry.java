package hub.metrics.internal;

import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.osgi.service.component.annotations.Component;

/**
 * The hub's metrics registry, as a service: the hub's collectors, the HTTP filter and any plug-in that wants its own
 * figures on {@code /metrics} register with it. It starts with the Prometheus client's JVM and process metrics, all
 * read at scrape time. Not {@code JvmMetrics.builder()}: its allocation metrics add a listener to the JVM's garbage
 * collector beans that nothing removes, so a stopped or updated bundle would stay reachable from the JVM (and its
 * listener fail on every GC, as the in-container tests showed).
 */
@Component(service = PrometheusRegistry.class)
public class HubRegistry extends PrometheusRegistry {
    /** Registers the JVM and process metrics. */
    public HubRegistry() {
        JvmThreadsMetrics.builder().register(this);
        JvmBufferPoolMetrics.builder().register(this);
        JvmClassLoadingMetrics.builder().register(this);
        JvmCompilationMetrics.builder().register(this);
        JvmGarbageCollectorMetrics.builder().register(this);
        JvmMemoryMetrics.builder().register(this);
        JvmRuntimeInfoMetric.builder().register(this);
        ProcessMetrics.builder().register(this);
    }
}
