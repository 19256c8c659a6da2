package hub.core.internal.health;

import hub.api.ArtifactStore;
import hub.api.CacheInfo;
import hub.api.Family;
import hub.api.ModelHub;
import hub.api.ModelQuery;
import hub.api.ModelRegistry;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The hub's own health: the catalog answers, the cache directory is writable with room left, and a loader serves each
 * family of the standard aliases (a missing one is a warning: the hub still serves the others).
 */
@Component(service = HealthCheck.class, property = {HealthCheck.NAME + "=hub core", HealthCheck.TAGS + "=hub"})
public class HubHealthCheck implements HealthCheck {
    private static final long LOW_DISK = 512L << 20;
    private final ModelRegistry registry;
    private final ArtifactStore store;
    private final ModelHub hub;

    /**
     * @param registry the catalog
     * @param store the artifact store
     * @param hub the runtime
     */
    @Activate
    public HubHealthCheck(@Reference ModelRegistry registry, @Reference ArtifactStore store, @Reference ModelHub hub) {
        this.registry = registry;
        this.store = store;
        this.hub = hub;
    }

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        try {
            log.info("catalog: {} model versions", registry.list(ModelQuery.ALL).size());
        } catch (RuntimeException e) {
            log.critical("catalog cannot be read: {}", e.getMessage());
        }
        try {
            CacheInfo c = store.cacheInfo();
            java.nio.file.Path existing = c.directory();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent(); // created on first download
            }
            if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
                log.critical("cache directory {} cannot be written ({} is not a writable directory)", c.directory(),
                        existing);
            } else if (c.freeDiskBytes() < LOW_DISK) {
                log.warn("cache disk nearly full: {} MB free under {}", c.freeDiskBytes() >> 20, c.directory());
            } else {
                log.info("cache {}: {} MB used, {} MB free", c.directory(), c.usedBytes() >> 20, c.freeDiskBytes() >> 20);
            }
        } catch (RuntimeException e) {
            log.critical("cache cannot be inspected: {}", e.getMessage());
        }
        Set<Family> families = hub.availableFamilies();
        List<String> missing = new ArrayList<>();
        for (Family f : ModelHub.STANDARD_ALIASES.values()) {
            if (!families.contains(f)) {
                missing.add(f.id());
            }
        }
        if (missing.isEmpty()) {
            log.info("loaders for every standard family ({} families)", families.size());
        } else {
            log.warn("no loader for {}", String.join(", ", missing.stream().sorted().toList()));
        }
        return new Result(log);
    }
}
