package hub.api.spi;

import hub.api.ArtifactSpec;
import hub.api.Device;
import hub.api.ModelDescriptor;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a loader gets to open a model: the entry, its verified files and the resolved device.
 *
 * @param descriptor catalog entry
 * @param files verified local files by artifact role
 * @param device resolved device (CPU or GPU, never AUTO)
 * @param intraOpThreads threads inside one operator (0 lets the runtime choose)
 * @param interOpThreads threads across operators (0 lets the runtime choose)
 */
public record LoadRequest(ModelDescriptor descriptor, Map<String, Path> files, Device device, int intraOpThreads,
        int interOpThreads) {
    /** Freezes the map and rejects AUTO. */
    public LoadRequest {
        files = Map.copyOf(files);
        if (device == Device.AUTO) {
            throw new IllegalArgumentException("a load request needs a resolved device, not AUTO");
        }
    }

    /** @return the main model file */
    public Path modelFile() {
        return files.get(ArtifactSpec.MODEL);
    }
}
