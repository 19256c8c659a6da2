package hub.api;

import java.util.List;

/**
 * Result of validating a cached model version.
 *
 * @param ref the model version
 * @param artifacts one check per artifact
 */
public record ValidationReport(ModelRef ref, List<ArtifactCheck> artifacts) {
    /** Freezes the list. */
    public ValidationReport {
        artifacts = List.copyOf(artifacts);
    }

    /** @return whether every artifact is present and verified */
    public boolean valid() {
        return artifacts.stream().allMatch(ArtifactCheck::ok);
    }
}
