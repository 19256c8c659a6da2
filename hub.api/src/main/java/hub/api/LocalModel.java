package hub.api;

import java.nio.file.Path;
import java.util.Map;

/**
 * A model version whose artifacts are all on disk and verified.
 *
 * @param descriptor the catalog entry
 * @param files verified files by artifact role
 */
public record LocalModel(ModelDescriptor descriptor, Map<String, Path> files) {
    /** Freezes the map. */
    public LocalModel {
        files = Map.copyOf(files);
    }

    /** @return the main model file */
    public Path modelFile() {
        return files.get(ArtifactSpec.MODEL);
    }
}
