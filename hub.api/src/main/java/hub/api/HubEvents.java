package hub.api;

/**
 * Event Admin topics and properties the hub posts, so other bundles can follow without polling. Artifact events
 * are posted on {@code hub/artifact/<STATUS>} for each status change of one artifact's transfer.
 */
public interface HubEvents {
    /** Topic prefix of artifact events; the last segment is the {@link ModelStatus} name. */
    String ARTIFACT_TOPIC_PREFIX = "hub/artifact/";
    /** All artifact events, for subscribing. */
    String ARTIFACT_TOPICS = "hub/artifact/*";
    /** Topic prefix of model runtime events: {@code LOADED}, {@code UNLOADED}, {@code EVICTED}. */
    String MODEL_TOPIC_PREFIX = "hub/model/";
    /** Topic of an alias switch; properties are the aliases with their new models. */
    String SWITCH_TOPIC = "hub/alias/SWITCHED";
    /** Property: the device a model runs on. */
    String DEVICE = "device";
    /** Property: why a model was unloaded (idle, memory-pressure, budget, request, loader-gone). */
    String REASON = "reason";
    /** Property: model name. */
    String MODEL = "model";
    /** Property: model version. */
    String VERSION = "version";
    /** Property: artifact role. */
    String ROLE = "role";
    /** Property: bytes so far (Long). */
    String BYTES = "bytes";
    /** Property: expected total or -1 (Long). */
    String TOTAL = "total";
    /** Property: the error message of an ERROR event. */
    String ERROR = "error";
    /** Property of a {@code LOADED} event: how long the load took, in milliseconds (Long). */
    String DURATION_MS = "durationMs";
}
