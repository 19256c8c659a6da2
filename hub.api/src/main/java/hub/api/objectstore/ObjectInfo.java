package hub.api.objectstore;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * A stored object.
 *
 * @param uri where it is
 * @param size its size in bytes
 * @param etag its entity tag, or null
 * @param modified when it was last written, or null
 * @param metadata its user metadata (may be empty, e.g. in listings)
 */
public record ObjectInfo(URI uri, long size, String etag, Instant modified, Map<String, String> metadata) {
    /** Copies the metadata. */
    public ObjectInfo {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
