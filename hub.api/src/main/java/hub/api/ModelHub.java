package hub.api;

import java.util.List;
import java.util.Map;
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

    /** The aliases every hub knows, with the family each accepts. */
    Map<String, Family> STANDARD_ALIASES = Map.of("detector", Family.DETECTION, "classifier", Family.CLASSIFICATION,
            "ocr", Family.OCR, "face", Family.FACE, "embedder", Family.EMBEDDING);

    /**
     * Leases the model an alias points to now; a switch never fails a lease: callers before it keep the old model,
     * callers after it get the new one.
     *
     * @param alias e.g. {@code detector}
     * @param device requested device
     * @return a lease the caller must close
     * @throws ModelNotFoundException when the alias points nowhere
     */
    ModelLease lease(String alias, Device device);

    /** @return every alias and the model it points to */
    Map<String, ModelRef> aliases();

    /**
     * Points aliases at other models in one atomic step: validates every target (known, downloadable, family fits),
     * loads the new ones in parallel, warms each with a real inference, then flips all aliases at once. Old models
     * close once their leases drain. On any failure nothing changes.
     *
     * @param targets alias to model
     * @param device device for the new models
     * @return before, after and warm-up times
     * @throws SwitchException listing what failed and why
     */
    SwitchResult switchModels(Map<String, ModelRef> targets, Device device);

    /**
     * Keeps a model loaded: idle timeouts and memory pressure never unload it (an administrator's choice, kept in
     * the shared state: it holds on every hub of a fleet and across restarts).
     *
     * @param ref the model version
     */
    void pin(ModelRef ref);

    /**
     * @param ref the model version
     */
    void unpin(ModelRef ref);

    /**
     * @param device CPU or GPU
     * @return how full that device's memory is, 0..1 (process memory of the machine for the CPU, device memory for
     *         the GPU; 0 when unknown)
     */
    double memoryUsage(Device device);

    /**
     * How long a loaded model may stay unused before it is unloaded (its own keep-alive, else its device's idle
     * timeout); pinned models never are.
     *
     * @param ref the model version
     * @param device where it is loaded
     * @return the idle timeout, or null when it is pinned or never unloads
     */
    default java.time.Duration idleTimeout(ModelRef ref, Device device) {
        return null;
    }
}
