package hub.api.manifest;

/**
 * How to sync a manifest.
 *
 * @param profile the profile to sync, or null (the whole manifest, or {@code minimal} under {@code CI_MINIMAL_MODELS})
 * @param model only this model, or null
 * @param verifyOnly download nothing; re-hash what is cached
 * @param offline download nothing; fail listing what is missing
 */
public record SyncOptions(String profile, String model, boolean verifyOnly, boolean offline) {
}
