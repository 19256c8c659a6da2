package hub.api;

/**
 * What an unload request did.
 *
 * @param ref the model version
 * @param outcome what happened
 * @param openLeases leases still open (non-zero only when deferred)
 */
public record UnloadResult(ModelRef ref, Outcome outcome, int openLeases) {
    /** The three possible outcomes. */
    public enum Outcome {
        /** Unloaded now. */
        UNLOADED,
        /** Leases are open; the model unloads when the last one closes. */
        DEFERRED,
        /** It was not loaded. */
        NOT_LOADED
    }
}
