package hub.metrics.internal;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** Routes as metric labels: names, versions and ids become placeholders, so the label set stays bounded. */
public class HttpMetricsFilterTest {
    @Test
    public void namesVersionsAndIdsArePlaceholders() {
        assertEquals("/v2/models/{name}/infer", HttpMetricsFilter.route("/v2/models/yolov8n/infer"));
        assertEquals("/v2/models/{name}/versions/{version}/infer",
                HttpMetricsFilter.route("/v2/models/yolov8n/versions/8.2.0/infer"));
        assertEquals("/v2/models/stats", HttpMetricsFilter.route("/v2/models/stats"));
        assertEquals("/v2/repository/models/{name}/load", HttpMetricsFilter.route("/v2/repository/models/x/load"));
        assertEquals("/api/v1/models/{name}/download", HttpMetricsFilter.route("/api/v1/models/yolov8n@8/download"));
        assertEquals("/api/v1/jobs/{id}/events", HttpMetricsFilter.route("/api/v1/jobs/42/events"));
        assertEquals("/api/models/switch", HttpMetricsFilter.route("/api/models/switch"));
        assertEquals("/api/v1/detect", HttpMetricsFilter.route("/api/v1/detect"));
        assertEquals("/static/*", HttpMetricsFilter.route("/static/app.js"));
        assertEquals("/", HttpMetricsFilter.route("/"));
        assertEquals("/metrics", HttpMetricsFilter.route("/metrics"));
        assertEquals("other", HttpMetricsFilter.route("/wp-admin/setup.php"));
    }
}
