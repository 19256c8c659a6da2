package hub.api;

import java.util.List;

/**
 * What a cache cleanup removed.
 *
 * @param removed paths removed, each with the reason (e.g. "orphan partial: x.onnx.part")
 * @param bytesFreed bytes freed
 */
public record CleanupReport(List<String> removed, long bytesFreed) {
    /** Freezes the list. */
    public CleanupReport {
        removed = List.copyOf(removed);
    }
}
