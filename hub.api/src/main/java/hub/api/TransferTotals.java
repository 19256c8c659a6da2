package hub.api;

/**
 * What the artifact store transferred since the hub started.
 *
 * @param completed transfers that ended verified (a file already complete in the cache counts as reused instead)
 * @param reused pulls that found the file complete and verified it without transferring
 * @param failed transfers that ended in an error
 * @param retries attempts that failed and were retried (or were the last of a failed transfer)
 * @param bytes bytes received, failed attempts included
 * @param nanos time spent in transfers, summed
 */
public record TransferTotals(long completed, long reused, long failed, long retries, long bytes, long nanos) {
}
