package hub.api;

/**
 * How a pull behaves.
 *
 * @param force download again even when a verified copy is cached
 * @param verification how much to check; null for the store's configured level
 * @param offline never transfer: fail listing what is missing
 */
public record PullOptions(boolean force, VerificationLevel verification, boolean offline) {
    /** The store's defaults: reuse verified files, configured verification, network allowed. */
    public static final PullOptions DEFAULT = new PullOptions(false, null, false);
}
