package hub.core.health;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;

/**
 * The outcome of running the Felix health checks, for the surfaces ({@code hub health}, {@code GET /api/v1/health}).
 *
 * @param healthy whether every check is OK
 * @param checks each check, by name
 */
public record HealthReport(boolean healthy, List<Check> checks) {
    /**
     * @param name the check's {@code hc.name}
     * @param status OK, WARN, CRITICAL, ...
     * @param message its log lines, joined
     * @param tags its {@code hc.tags}
     * @param elapsedMs how long it ran
     */
    public record Check(String name, String status, String message, List<String> tags, long elapsedMs) {
    }

    /** Freezes the list. */
    public HealthReport {
        checks = List.copyOf(checks);
    }

    /**
     * Runs the checks with one of the tags, or every registered check when none is given: Felix's empty selector
     * selects nothing, so "all" is every {@code hc.name} registered now.
     *
     * @param context where the checks are looked up
     * @param executor Felix Health Checks' executor
     * @param tags tags, any of which selects a check; none for all
     * @return the report, checks sorted by name
     */
    public static HealthReport run(BundleContext context, HealthCheckExecutor executor, List<String> tags) {
        HealthCheckSelector selector;
        if (tags.isEmpty()) {
            TreeSet<String> names = new TreeSet<>();
            try {
                var refs = context.getServiceReferences(HealthCheck.class, null);
                for (var r : refs) {
                    Object n = r.getProperty(HealthCheck.NAME);
                    if (n != null) {
                        names.add(n.toString());
                    }
                }
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            if (names.isEmpty()) {
                return new HealthReport(true, List.of());
            }
            selector = HealthCheckSelector.names(names.toArray(String[]::new));
        } else {
            selector = HealthCheckSelector.tags(tags.toArray(String[]::new));
        }
        List<Check> checks = new ArrayList<>();
        boolean ok = true;
        for (HealthCheckExecutionResult r : executor.execute(selector,
                new HealthCheckExecutionOptions().setCombineTagsWithOr(true))) {
            Result res = r.getHealthCheckResult();
            StringBuilder message = new StringBuilder();
            for (ResultLog.Entry e : res) {
                if (e.getMessage() != null && !e.getMessage().isBlank()) {
                    message.append(message.length() > 0 ? "; " : "").append(e.getMessage());
                }
            }
            ok &= res.isOk();
            checks.add(new Check(r.getHealthCheckMetadata().getName(), res.getStatus().name(), message.toString(),
                    List.copyOf(r.getHealthCheckMetadata().getTags()), r.getElapsedTimeInMs()));
        }
        checks.sort(Comparator.comparing(Check::name));
        return new HealthReport(ok, checks);
    }
}
