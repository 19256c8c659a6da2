package hub.api;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives transfer progress; called from the transfer's thread, so it must return quickly. */
@ConsumerType
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = p -> { };

    /**
     * @param progress the current state of one artifact's transfer
     */
    void onProgress(TransferProgress progress);
}
