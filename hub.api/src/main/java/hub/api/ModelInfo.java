package hub.api;

import java.util.List;
import java.util.Optional;

/**
 * Everything the hub can say about one model version.
 *
 * @param descriptor catalog entry
 * @param status cache or runtime status
 * @param versions all versions of the name
 * @param loaderAvailable whether a loader for the family is active
 * @param loaded runtime figures when loaded, else null
 */
public record ModelInfo(ModelDescriptor descriptor, ModelStatus status, List<String> versions, boolean loaderAvailable,
        LoadedModelInfo loaded) {
    /** Freezes the list. */
    public ModelInfo {
        versions = List.copyOf(versions);
    }

    /** @return the runtime figures when loaded */
    public Optional<LoadedModelInfo> loadedInfo() {
        return Optional.ofNullable(loaded);
    }
}
