package hub.api.access;

/**
 * What a caller may ask of the hub; {@link AccessPolicy} decides per caller and model. Operations on a model also
 * need the caller's tier to include the model's tier.
 */
public enum Operation {
    /** See a model: its catalog entry, status, alias and loaded state. Any key whose tier includes the model. */
    SEE(false),
    /** Run a task (detect, classify, ocr, faces, embed) on a model that is in the cache. Any key with the tier. */
    INFER(false),
    /** Load a model that is in the cache into memory. Any key with the tier. */
    LOAD(false),
    /** Cause a model's bytes to be downloaded: a download, or a load or inference of a model not in the cache. */
    FETCH(true),
    /** Re-hash a model's cached files (validate). */
    VALIDATE(true),
    /** Register a descriptor. */
    REGISTER(true),
    /** Remove cached files. */
    DELETE(true),
    /** Unload a model. */
    UNLOAD(true),
    /** Point aliases at other models. */
    SWITCH(true),
    /** Pin or unpin a model. */
    PIN(true),
    /** See download jobs and their progress events. */
    WATCH_JOBS(true),
    /** List, install or remove plug-ins. */
    PLUGINS(true),
    /** See the hubs of the fleet: their addresses, versions and loaded models. */
    FLEET(true);

    private final boolean adminOnly;

    Operation(boolean adminOnly) {
        this.adminOnly = adminOnly;
    }

    /** @return whether only the admin role may do it */
    public boolean adminOnly() {
        return adminOnly;
    }
}
