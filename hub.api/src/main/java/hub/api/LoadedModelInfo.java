package hub.api;

import java.time.Duration;
import java.time.Instant;

/**
 * A model held in memory by the runtime.
 *
 * @param ref model version
 * @param family family
 * @param device device it runs on
 * @param memoryBytes memory attributed to it
 * @param memoryMeasured true when measured across the load, false when estimated from file size
 * @param loadTime time the load took
 * @param warmUpTime time the warm-up inference took, or null when not warmed
 * @param loadedAt when it was loaded
 * @param lastUsed when a lease was last opened or closed
 * @param openLeases leases currently open
 * @param pinned whether idle unloading keeps it (pinned by an administrator, or active behind an alias)
 * @param leasesServed leases handed out since it was loaded (one per request on the alias path)
 */
public record LoadedModelInfo(ModelRef ref, Family family, Device device, long memoryBytes, boolean memoryMeasured,
        Duration loadTime, Duration warmUpTime, Instant loadedAt, Instant lastUsed, int openLeases, boolean pinned,
        long leasesServed) {
}
