package hub.api.state;

/** The kinds of shared documents, each a map from key to JSON document. */
public enum StateKind {
    /** Custom catalog entries: key {@code NAME@VERSION}, document the descriptor. */
    CATALOG,
    /** The active model per alias: key the alias, document {@code {"model": "NAME@VERSION", "device": "auto"}}. */
    ALIASES,
    /** Persistent pins: key {@code NAME@VERSION}, document {@code {"owners": [...]}}. */
    PINS,
    /** API keys (hashes only): key the key's id, document its record. */
    KEYS,
    /** Live hubs: key the hub's id, document its address, version, loaded models and heartbeat. */
    HUBS,
    /**
     * Switches of aliases being prepared by the hubs of a fleet: key the switch's id (its proposal) or
     * {@code ID/HUB} (a hub's readiness report).
     */
    SWITCHES,
    /**
     * Mirrors of model versions: key {@code NAME@VERSION}, document {@code {"mirrors": [{"location": ..., "pushedAt":
     * ..., "pushedBy": ..., "artifacts": [{"role", "uri", "sha256", "size"}]}]}}.
     */
    MIRRORS
}
