package hub.core.internal.shell;

import hub.api.HubException;
import hub.core.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code health}: runs the Felix health checks (every one, or those with the given tags) and shows their status; a
 * check that is not OK makes the command fail, so scripts can rely on its exit status.
 */
@Component(service = HealthCommands.class, immediate = true, property = {"osgi.command.scope=hub",
        "osgi.command.function=health"})
public class HealthCommands {
    private final HealthCheckExecutor executor;
    private final BundleContext context;

    /**
     * @param executor Felix Health Checks' executor
     * @param context where the health checks are looked up by name when no tags are given
     */
    @Activate
    public HealthCommands(@Reference HealthCheckExecutor executor, BundleContext context) {
        this.executor = executor;
        this.context = context;
    }

    /** Every registered check by name (an empty selector selects nothing in Felix Health Checks). */
    private HealthCheckSelector all() {
        java.util.Set<String> names = new java.util.TreeSet<>();
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
        return names.isEmpty() ? null : HealthCheckSelector.names(names.toArray(String[]::new));
    }

    /**
     * @param tags only checks with one of these tags (comma-separated)
     * @param json JSON output
     * @return one line per check
     */
    @Descriptor("run the health checks (the hub's, each embedding service's, any other bundle's)")
    public String health(
            @Descriptor("only checks with one of these tags, comma-separated") @Parameter(names = {"-t", "--tags"}, absentValue = "") String tags,
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json) {
        HealthCheckSelector selector = tags.isBlank() ? all() : HealthCheckSelector.tags(tags.split("\\s*,\\s*"));
        List<HealthCheckExecutionResult> results = selector == null ? new ArrayList<>() : new ArrayList<>(
                executor.execute(selector, new HealthCheckExecutionOptions().setCombineTagsWithOr(true)));
        results.sort(java.util.Comparator.comparing(r -> r.getHealthCheckMetadata().getName()));
        List<Map<String, Object>> doc = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        boolean allOk = true;
        for (HealthCheckExecutionResult r : results) {
            Result res = r.getHealthCheckResult();
            StringBuilder message = new StringBuilder();
            for (ResultLog.Entry e : res) {
                if (e.getMessage() != null && !e.getMessage().isBlank()) {
                    message.append(message.length() > 0 ? "; " : "").append(e.getMessage());
                }
            }
            allOk &= res.isOk();
            String name = r.getHealthCheckMetadata().getName();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", name);
            row.put("status", res.getStatus().name());
            row.put("message", message.toString());
            row.put("tags", r.getHealthCheckMetadata().getTags());
            row.put("elapsedMs", r.getElapsedTimeInMs());
            doc.add(row);
            rows.add(List.of(name, res.getStatus().name(), message.toString()));
        }
        String out = json ? Json.write(Map.of("healthy", allOk, "checks", doc))
                : rows.isEmpty() ? "no health checks registered" : Format.table(List.of("CHECK", "STATUS", "MESSAGE"), rows);
        if (!allOk && !json) {
            throw new HubException("not healthy:\n" + out);
        }
        return out;
    }
}
