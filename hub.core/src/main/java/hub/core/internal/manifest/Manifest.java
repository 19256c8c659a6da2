package hub.core.internal.manifest;

import hub.api.ModelDescriptor;
import hub.api.ModelRef;
import hub.api.VerificationLevel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A manifest of models to ensure (the model-manager seed's format): where to cache them, how to verify them, the
 * models (catalog references or source specs) and named profiles selecting some of them.
 *
 * @param file the manifest file
 * @param cacheDir a cache directory of its own, or null for the hub's cache
 * @param verification verification level, or null for the store's setting
 * @param models the entries in file order
 * @param profiles profile name to entry names
 */
record Manifest(Path file, Path cacheDir, VerificationLevel verification, List<Entry> models,
        Map<String, List<String>> profiles) {

    /**
     * One model to ensure.
     *
     * @param name the model name (how profiles and --model refer to it)
     * @param ref the catalog reference
     * @param inline the descriptor of a source spec, or null for a catalog reference
     * @param line where it is in the file
     */
    record Entry(String name, ModelRef ref, ModelDescriptor inline, int line) {
    }

    /** @return the pin owner of this manifest's models */
    String pinOwner() {
        return "manifest:" + file.toAbsolutePath().normalize();
    }
}
