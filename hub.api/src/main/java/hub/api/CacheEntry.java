package hub.api;

import java.time.Instant;

/**
 * One model version in the cache.
 *
 * @param ref the model version
 * @param bytes bytes on disk
 * @param status its status
 * @param lastUsed last use (pull, load), or null when never used
 * @param pinned whether eviction must keep it
 */
public record CacheEntry(ModelRef ref, long bytes, ModelStatus status, Instant lastUsed, boolean pinned) {
}
