package hub.api;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One file of a model version.
 *
 * @param role what the file is for: {@link #MODEL}, {@link #LABELS}, {@link #KEYS} or a loader-specific role
 * @param source where it comes from: {@code https:}, {@code http:}, {@code file:}, {@code maven:}, {@code hf:} or {@code s3:}
 * @param sha256 the published lower-case hex SHA-256, or {@code null} where none is published (trust on first use)
 * @param size the size in bytes, or {@code -1} when unknown
 * @param fileName the file name in the cache
 */
public record ArtifactSpec(String role, URI source, String sha256, long size, String fileName) {
    /** The main model file. */
    public static final String MODEL = "model";
    /** A class-label list. */
    public static final String LABELS = "labels";
    /** An OCR character dictionary. */
    public static final String KEYS = "keys";

    /**
     * Validates the fields.
     *
     * @param role role
     * @param source source
     * @param sha256 checksum or null
     * @param size size or -1
     * @param fileName file name
     */
    public ArtifactSpec {
        if (role == null || !role.matches("[a-z][a-z0-9._-]{0,39}")) {
            throw new IllegalArgumentException("invalid artifact role '" + role + "'");
        }
        Objects.requireNonNull(source, "artifact source");
        if (source.getScheme() == null) {
            throw new IllegalArgumentException("artifact source '" + source + "' has no scheme (https:, http:, file:, maven:, hf:, s3:)");
        }
        if (sha256 != null) {
            sha256 = sha256.toLowerCase(java.util.Locale.ROOT);
            if (!sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("invalid sha256 '" + sha256 + "' (64 hex digits)");
            }
        }
        if (size < -1) {
            throw new IllegalArgumentException("invalid artifact size " + size);
        }
        if (fileName == null || fileName.isEmpty()) {
            fileName = defaultFileName(source, role);
        }
        ModelRef.validateName(fileName);
    }

    /** @return the published checksum when there is one */
    public Optional<String> publishedSha256() {
        return Optional.ofNullable(sha256);
    }

    private static String defaultFileName(URI source, String role) {
        String s = source.toString();
        int bang = s.lastIndexOf('!');
        int slash = s.lastIndexOf('/');
        int colon = s.lastIndexOf(':');
        int cut = Math.max(Math.max(bang, slash), colon);
        String name = cut >= 0 ? s.substring(cut + 1) : s;
        int q = name.indexOf('?');
        if (q >= 0) {
            name = name.substring(0, q);
        }
        return name.isEmpty() ? role : name;
    }
}
