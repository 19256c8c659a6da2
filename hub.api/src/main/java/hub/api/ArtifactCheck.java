package hub.api;

/**
 * The result of re-hashing one artifact.
 *
 * @param role artifact role
 * @param file the cached file's path as text
 * @param expectedSha256 the published or recorded checksum, or null
 * @param actualSha256 the checksum just computed, or null when the file is missing
 * @param size the file's size, or -1 when missing
 * @param ok whether the file is present and matches
 * @param message what is wrong, or "ok"
 */
public record ArtifactCheck(String role, String file, String expectedSha256, String actualSha256, long size,
        boolean ok, String message) {
}
