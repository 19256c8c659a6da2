package hub.api.mirror;

import hub.api.ModelRef;
import hub.api.objectstore.UploadProgress;
import java.net.URI;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Pushes model versions to mirrors and lists the mirrors the shared catalog records. */
@ProviderType
public interface ModelMirrors {
    /**
     * Uploads a model version's verified artifacts (pulling them first when they are not cached) under
     * {@code location/NAME/VERSION/}, in parts and resuming an interrupted push, then records the mirror in the
     * shared catalog. Pushing again to the same place stores nothing twice.
     *
     * @param ref the model version (latest when no version is given)
     * @param location {@code s3://BUCKET[/PREFIX]}
     * @param progress told how the upload advances, or null
     * @return the recorded mirror
     * @throws hub.api.ArtifactException when the location cannot be written, or no store serves its scheme
     * @throws hub.api.ModelNotFoundException when the model is not in the catalog
     */
    MirrorRecord push(ModelRef ref, URI location, UploadProgress progress);

    /** @return every recorded mirror, by model and version */
    List<MirrorRecord> list();
}
