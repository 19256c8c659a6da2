package hub.api;

import java.nio.file.Path;
import java.util.List;

/**
 * Cache utilization.
 *
 * @param directory the cache directory
 * @param limitBytes the configured size limit
 * @param usedBytes bytes used by cached artifacts (partials included)
 * @param freeDiskBytes free space on the cache's file system
 * @param entries per model version
 */
public record CacheInfo(Path directory, long limitBytes, long usedBytes, long freeDiskBytes, List<CacheEntry> entries) {
    /** Freezes the list. */
    public CacheInfo {
        entries = List.copyOf(entries);
    }

    /** @return used / limit, between 0 and 1 (or above when over the limit) */
    public double utilization() {
        return limitBytes <= 0 ? 0 : (double) usedBytes / limitBytes;
    }
}
