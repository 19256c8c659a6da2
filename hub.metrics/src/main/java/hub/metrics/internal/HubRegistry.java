package hub.metrics.internal;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.osgi.service.component.annotations.Component;

/**
 * The hub's metrics registry, as a service: the hub's collectors, the HTTP filter and any plug-in that wants its own
 * figures on {@code /metrics} register with it. It starts with the Prometheus client's JVM and process metrics.
 */
@Component(service = PrometheusRegistry.class)
public class HubRegistry extends PrometheusRegistry {
    /** Registers the JVM and process metrics. */
    public HubRegistry() {
        JvmMetrics.builder().register(this);
    }
}
