package hub.metrics.internal;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

/**
 * Counts every HTTP request by method, route (the path with model names, versions and ids as placeholders, so that
 * the label stays bounded) and status, and times it: {@code hub_http_requests_total} and
 * {@code hub_http_request_duration_seconds}. A 429 is {@code status="429"}.
 */
@Component(service = Filter.class)
@HttpWhiteboardFilterPattern("/*")
public class HttpMetricsFilter implements Filter {
    /** Segments after which the next one is a name or an id. */
    private static final Set<String> NAMED = Set.of("models", "versions", "jobs", "plugins", "keys", "embedders");
    /** First segments of the routes the hub serves; anything else is {@code other}. */
    private static final Set<String> ROOTS = Set.of("api", "v2", "models", "metrics", "static");
    private final PrometheusRegistry registry;
    private final Counter requests;
    private final Histogram duration;

    /** @param registry the hub's metrics */
    @Activate
    public HttpMetricsFilter(@Reference PrometheusRegistry registry) {
        this.registry = registry;
        this.requests = Counter.builder().name("hub_http_requests").help("HTTP requests by method, route and status")
                .labelNames("method", "route", "status").build();
        this.duration = Histogram.builder().name("hub_http_request_duration_seconds")
                .help("HTTP request time by method and route, until the answer is written").labelNames("method", "route")
                .classicOnly().classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30).build();
        registry.register(requests);
        registry.register(duration);
    }

    @Deactivate
    void deactivate() {
        registry.unregister(requests);
        registry.unregister(duration);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            if (request instanceof HttpServletRequest req && response instanceof HttpServletResponse resp) {
                String path = req.getRequestURI().substring(req.getContextPath().length());
                int status = resp.getStatus();
                String route = status == 404 ? "unmatched" : route(path);
                String method = method(req.getMethod());
                requests.labelValues(method, route, Integer.toString(status)).inc();
                duration.labelValues(method, route).observe((System.nanoTime() - start) / 1e9);
            }
        }
    }

    private static String method(String m) {
        return switch (m) {
            case "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH" -> m;
            default -> "other";
        };
    }

    /**
     * @param path a request path
     * @return its route: names and ids after {@code models}, {@code versions}, {@code jobs}... as placeholders
     */
    static String route(String path) {
        List<String> out = new ArrayList<>();
        String previous = "";
        for (String s : path.split("/")) {
            if (s.isEmpty()) {
                continue;
            }
            if (out.isEmpty() && !ROOTS.contains(s)) {
                return "other";
            }
            if (out.size() >= 8) {
                out.add("...");
                break;
            }
            boolean fixed = previous.equals("models") && (s.equals("stats") || s.equals("switch")
                    || s.equals("active") || s.equals("status"));
            out.add(NAMED.contains(previous) && !fixed ? "{" + (previous.equals("versions") ? "version"
                    : previous.equals("models") || previous.equals("plugins") || previous.equals("embedders")
                    ? "name" : "id") + "}" : previous.equals("static") ? "*" : s);
            if (previous.equals("static")) {
                break;
            }
            previous = s;
        }
        return "/" + String.join("/", out);
    }
}
