package hub.api;

import java.util.List;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The facade most callers need: make a model ready (pull and verify), load it once and share it through leases,
 * unload it, and describe it.
 */
@ProviderType
public interface ModelHub {
    /**
     * Pulls and verifies every artifact of a model version if needed.
     *
     * @param ref the model (latest when no version)
     * @param listener transfer progress
     * @return the local files
     */
    LocalModel ensureReady(ModelRef ref, ProgressListener listener);

    /**
     * Returns a lease on the shared loaded model, loading it first (pulling it if needed) when nobody has. Concurrent
     * first calls load it once.
     *
     * @param ref the model
     * @param device requested device; AUTO picks GPU when usable
     * @return a lease the caller must close
     * @throws LoaderUnavailableException when no loader handles the family
     */
    ModelLease load(ModelRef ref, Device device);

    /**
     * Unloads a model version now, or once its last lease closes.
     *
     * @param ref the model version
     * @return what happened
     */
    UnloadResult unload(ModelRef ref);

    /**
     * @param ref the model
     * @return catalog entry, status, versions and runtime figures
     */
    ModelInfo info(ModelRef ref);

    /** @return models currently held in memory */
    List<LoadedModelInfo> loaded();

    /** @return families for which a loader is active now */
    Set<Family> availableFamilies();
}
