package hub.core.internal.shell;

import hub.api.HubException;
import hub.core.health.HealthReport;
import hub.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
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

    /**
     * @param tags only checks with one of these tags (comma-separated)
     * @param json JSON output
     * @return one line per check
     */
    @Descriptor("run the health checks (the hub's, each embedding service's, any other bundle's)")
    public String health(
            @Descriptor("only checks with one of these tags, comma-separated") @Parameter(names = {"-t", "--tags"}, absentValue = "") String tags,
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json) {
        HealthReport report = HealthReport.run(context, executor,
                tags.isBlank() ? List.of() : List.of(tags.trim().split("\\s*,\\s*")));
        List<List<String>> rows = new ArrayList<>();
        for (HealthReport.Check c : report.checks()) {
            rows.add(List.of(c.name(), c.status(), c.message()));
        }
        String out = json ? Json.write(report)
                : rows.isEmpty() ? "no health checks registered" : Format.table(List.of("CHECK", "STATUS", "MESSAGE"), rows);
        if (!report.healthy() && !json) {
            throw new HubException("not healthy:\n" + out);
        }
        return out;
    }
}
