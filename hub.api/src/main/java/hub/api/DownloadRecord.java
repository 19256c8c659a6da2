package hub.api;

import java.time.Instant;

/**
 * One transfer of one artifact, kept in the hub home for {@code history}.
 *
 * @param ref model version
 * @param role artifact role
 * @param source where it came from (credentials removed)
 * @param started when the transfer started
 * @param ended when it ended
 * @param bytes bytes received in this transfer
 * @param resumedFrom offset the transfer resumed from (0 for a fresh one)
 * @param outcome {@code ok}, {@code failed} or {@code reused} (another process had just published it)
 * @param error the failure, or null
 */
public record DownloadRecord(ModelRef ref, String role, String source, Instant started, Instant ended, long bytes,
        long resumedFrom, String outcome, String error) {
}
