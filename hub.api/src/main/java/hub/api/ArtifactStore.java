package hub.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The disk cache of model files: verified, resumable transfers, one per artifact however many callers, atomic
 * publish, a size limit with least-recently-used eviction, validation and cleanup.
 */
@ProviderType
public interface ArtifactStore {
    /**
     * Makes every artifact of a model version present and verified, downloading what is missing. Concurrent callers
     * for the same artifact share one transfer.
     *
     * @param ref the model (latest version when none is given)
     * @param listener progress of each artifact
     * @return the verified local files
     * @throws ModelNotFoundException for an unknown model
     * @throws ArtifactException when a transfer or verification fails
     */
    default LocalModel pull(ModelRef ref, ProgressListener listener) {
        return pull(ref, PullOptions.DEFAULT, listener);
    }

    /**
     * Pulls with options: forced re-download, verification level, offline.
     *
     * @param ref the model
     * @param options how to pull
     * @param listener progress of each artifact
     * @return the verified local files
     * @throws ChecksumMismatchException when a file does not match its checksum (it is deleted)
     * @throws ModelsMissingException offline, when something would have to be downloaded
     */
    LocalModel pull(ModelRef ref, PullOptions options, ProgressListener listener);

    /**
     * Asynchronous form of {@link #pull(ModelRef, PullOptions, ProgressListener)}.
     *
     * @param ref the model
     * @param options how to pull
     * @param listener progress
     * @return completes with the local files or the failure
     */
    CompletionStage<LocalModel> pullAsync(ModelRef ref, PullOptions options, ProgressListener listener);

    /**
     * Keeps a version's files from eviction while any owner holds a pin (a loaded model, an active alias, a synced
     * manifest). Pins whose owner starts with {@code manifest:} survive restarts.
     *
     * @param ref the model version
     * @param owner who pins it
     */
    void pin(ModelRef ref, String owner);

    /**
     * @param ref the model version
     * @param owner who pinned it
     */
    void unpin(ModelRef ref, String owner);

    /**
     * @param name a model name, or null for every model
     * @return download records, oldest first
     */
    List<DownloadRecord> history(String name);

    /**
     * @param ref the model version
     * @return the verified local files when the version is READY, without any transfer
     */
    Optional<LocalModel> local(ModelRef ref);

    /**
     * @param ref the model version
     * @return its cache status (never LOADING or LOADED: those belong to the runtime)
     */
    ModelStatus status(ModelRef ref);

    /**
     * Re-hashes the cached files of a version.
     *
     * @param ref the model version
     * @return one check per artifact
     */
    ValidationReport validate(ModelRef ref);

    /**
     * Removes cached files: one version, or every version when the reference has none.
     *
     * @param ref the model
     * @return the versions whose files were removed
     */
    List<ModelRef> remove(ModelRef ref);

    /**
     * Removes orphan partial files, files no catalog entry owns, and files that fail verification.
     *
     * @return what was removed and why
     */
    CleanupReport cleanup();

    /** @return utilization, totals and per-version figures */
    CacheInfo cacheInfo();

    /** @return counts, bytes and time of the transfers since the hub started */
    TransferTotals transferTotals();
}
