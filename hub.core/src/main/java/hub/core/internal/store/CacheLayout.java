package hub.core.internal.store;

import hub.api.ArtifactSpec;
import hub.api.ModelRef;
import java.nio.file.Path;

/**
 * Where files live in the cache: {@code <cache>/<name>/<version>/<file>}, partial transfers next to them as
 * {@code <file>.part}. Names, versions and file names are validated by the API types, so no path leaves the cache.
 *
 * @param root the cache directory
 */
record CacheLayout(Path root) {
    static final String PART = ".part";
    static final String RECORD = ".verified";
    static final String LOCK = ".lock";

    Path versionDir(ModelRef ref) {
        return root.resolve(ref.name()).resolve(ref.version());
    }

    Path file(ModelRef ref, ArtifactSpec a) {
        return versionDir(ref).resolve(a.fileName());
    }

    Path part(ModelRef ref, ArtifactSpec a) {
        return versionDir(ref).resolve(a.fileName() + PART);
    }

    Path sidecar(ModelRef ref, ArtifactSpec a) {
        return versionDir(ref).resolve(a.fileName() + PART + ".json");
    }

    Path lock(ModelRef ref, ArtifactSpec a) {
        return versionDir(ref).resolve(a.fileName() + LOCK);
    }

    /** The record of what was verified: role, size and SHA-256 per artifact, written after publish. */
    Path record(ModelRef ref) {
        return versionDir(ref).resolve(RECORD);
    }
}
