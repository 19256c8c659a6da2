package hub.api;

/**
 * A file's or stream's SHA-256 and byte count, computed in one pass.
 *
 * @param sha256 lower-case hex SHA-256
 * @param size bytes read
 */
public record Checksum(String sha256, long size) {
}
