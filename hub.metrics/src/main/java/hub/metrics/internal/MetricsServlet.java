package hub.metrics.internal;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /metrics}: the registry in the Prometheus text format, or OpenMetrics when the scraper asks for it. Open
 * to loopback clients by default; with a token configured, every scrape must send it.
 */
@Component(service = Servlet.class, configurationPid = "hub.metrics")
@Designate(ocd = MetricsConfig.class)
@HttpWhiteboardServletPattern("/metrics")
public class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient PrometheusRegistry registry;
    private transient volatile MetricsConfig config;

    /**
     * @param registry the hub's metrics
     * @param config who may scrape
     */
    @Activate
    public MetricsServlet(@Reference PrometheusRegistry registry, MetricsConfig config) {
        this.registry = registry;
        this.config = config;
    }

    @Modified
    void modified(MetricsConfig c) {
        this.config = c;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String denied = denied(req, config);
        if (denied != null) {
            resp.setStatus(denied.startsWith("missing") || denied.startsWith("wrong") ? 401 : 403);
            if (resp.getStatus() == 401) {
                resp.setHeader("WWW-Authenticate", "Bearer realm=\"vision-hub-metrics\"");
            }
            resp.setContentType("text/plain; charset=utf-8");
            resp.getWriter().write(denied + "\n");
            return;
        }
        String accept = req.getHeader("Accept");
        ExpositionFormatWriter writer = accept != null && accept.contains("application/openmetrics-text")
                ? OpenMetricsTextFormatWriter.create() : PrometheusTextFormatWriter.create();
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 << 10);
        writer.write(out, registry.scrape(), EscapingScheme.fromAcceptHeader(accept));
        resp.setStatus(200);
        resp.setContentType(writer.getContentType());
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(out.size());
        out.writeTo(resp.getOutputStream());
    }

    /** @return why the request may not scrape, or null */
    static String denied(HttpServletRequest req, MetricsConfig c) {
        String token = c.token() == null ? "" : c.token().trim();
        if (!token.isEmpty()) {
            String header = req.getHeader("Authorization");
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return "missing bearer token (Authorization: Bearer TOKEN; hub.metrics token)";
            }
            boolean same = MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8),
                    token.getBytes(StandardCharsets.UTF_8));
            return same ? null : "wrong bearer token";
        }
        if (c.open()) {
            return null;
        }
        try {
            return InetAddress.getByName(req.getRemoteAddr()).isLoopbackAddress() ? null
                    : "metrics are served to loopback clients only; set a token (hub.metrics token) or open=true";
        } catch (IOException e) {
            return "unknown client address";
        }
    }
}
