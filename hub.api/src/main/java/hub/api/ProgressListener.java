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

    /**
     * A transfer failed in a way that may pass (a dropped connection, a timeout, a server error) and is tried again
     * after a pause; failures that will not pass (an unknown host, a refused connection, a 404) end the transfer at
     * once instead.
     *
     * @param retry which attempt failed, why, and when the next one starts
     */
    default void onRetry(TransferRetry retry) {
    }
}
