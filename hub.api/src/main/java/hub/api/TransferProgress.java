package hub.api;

import java.time.Duration;

/**
 * Progress of one artifact's transfer.
 *
 * @param ref the model version
 * @param role the artifact's role
 * @param status DOWNLOADING, VALIDATING, READY or ERROR
 * @param bytes bytes on disk so far (resumed bytes included)
 * @param total expected total, or -1 when unknown
 * @param bytesPerSecond current rate
 * @param eta estimated time left, or null when unknown
 */
public record TransferProgress(ModelRef ref, String role, ModelStatus status, long bytes, long total,
        double bytesPerSecond, Duration eta) {
    /** @return completion between 0 and 1, or -1 when the total is unknown */
    public double fraction() {
        return total > 0 ? Math.min(1.0, (double) bytes / total) : -1;
    }
}
