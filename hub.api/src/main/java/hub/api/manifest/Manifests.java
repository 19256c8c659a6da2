package hub.api.manifest;

import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Ensures the models of a manifest file: resolves every entry first (a configuration error downloads nothing), then
 * pulls, verifies and pins them; or removes them from the cache.
 */
@ProviderType
public interface Manifests {
    /** Environment variable selecting the {@code minimal} profile ({@code true}, {@code 1} or {@code yes}). */
    String CI_MINIMAL = "CI_MINIMAL_MODELS";

    /**
     * @param file the manifest (YAML)
     * @param options profile, model, verify-only, offline
     * @return one line per selected model
     * @throws hub.api.HubException on a configuration error (exit 4), missing models (8), a failed download (5)
     */
    List<ManifestLine> sync(Path file, SyncOptions options);

    /**
     * @param file the manifest
     * @param model only this model, or null for all
     * @return one line per model
     */
    List<ManifestLine> clean(Path file, String model);
}
