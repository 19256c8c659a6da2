package hub.api.mirror;

import hub.api.ModelRef;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * A model version's copy in a mirror.
 *
 * @param model the model version
 * @param location where the mirror keeps it ({@code s3://BUCKET/PREFIX/NAME/VERSION/})
 * @param pushedAt when the push finished
 * @param pushedBy the hub that pushed it
 * @param artifacts each artifact's object, checksum and size
 */
public record MirrorRecord(ModelRef model, URI location, Instant pushedAt, String pushedBy,
        List<MirroredArtifact> artifacts) {
    /** Copies the list. */
    public MirrorRecord {
        artifacts = List.copyOf(artifacts);
    }

    /**
     * One mirrored file.
     *
     * @param role the artifact's role
     * @param uri its object in the mirror
     * @param sha256 its SHA-256 (the catalog entry's)
     * @param size its size in bytes
     */
    public record MirroredArtifact(String role, URI uri, String sha256, long size) {
    }
}
