package hub.api;

/** Where a model version stands on this hub, from absent to loaded. */
public enum ModelStatus {
    /** Known to the catalog, no verified file on disk. */
    NOT_DOWNLOADED,
    /** A transfer is running. */
    DOWNLOADING,
    /** Downloaded, checksum being verified. */
    VALIDATING,
    /** Every artifact is on disk and verified. */
    READY,
    /** The last pull, validation or load failed. */
    ERROR,
    /** A loader is opening the model. */
    LOADING,
    /** Open in memory and usable. */
    LOADED
}
