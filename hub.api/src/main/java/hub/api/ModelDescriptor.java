package hub.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the hub knows about one version of a model.
 *
 * @param name model name (validated, see {@link ModelRef#validateName(String)})
 * @param version version string
 * @param family model family, which picks the loader
 * @param task what the model does, in a few words (e.g. "object detection, COCO 80 classes")
 * @param description longer description
 * @param license license identifier (SPDX where possible)
 * @param tags free tags for filtering
 * @param tier access tier
 * @param devices devices the model is known to run on
 * @param artifacts the files of this version; exactly one has role {@link ArtifactSpec#MODEL}
 * @param parameters loader parameters
 * @param provenance where the entry comes from
 */
public record ModelDescriptor(String name, String version, Family family, String task, String description,
        String license, Set<String> tags, AccessTier tier, Set<Device> devices, List<ArtifactSpec> artifacts,
        LoaderParameters parameters, Provenance provenance) {

    /**
     * Validates and freezes the fields.
     *
     * @param name name
     * @param version version
     * @param family family
     * @param task task
     * @param description description
     * @param license license
     * @param tags tags
     * @param tier tier
     * @param devices devices
     * @param artifacts artifacts
     * @param parameters parameters
     * @param provenance provenance
     */
    public ModelDescriptor {
        ModelRef.validateName(name);
        Objects.requireNonNull(version, "version");
        ModelRef.validateVersion(version);
        if (version.equalsIgnoreCase(ModelRef.LATEST)) {
            throw new IllegalArgumentException("'latest' is reserved and cannot be a model version");
        }
        Objects.requireNonNull(family, "family");
        task = task == null ? "" : task;
        description = description == null ? "" : description;
        license = license == null ? "unknown" : license;
        tags = tags == null ? Set.of() : java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(tags));
        tier = tier == null ? AccessTier.STANDARD : tier;
        devices = devices == null || devices.isEmpty() ? Set.of(Device.CPU, Device.GPU)
                : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(devices));
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        long models = artifacts.stream().filter(a -> a.role().equals(ArtifactSpec.MODEL)).count();
        if (models != 1) {
            throw new IllegalArgumentException("model " + name + "@" + version + " needs exactly one artifact with role '"
                    + ArtifactSpec.MODEL + "', has " + models);
        }
        if (artifacts.stream().map(ArtifactSpec::role).distinct().count() != artifacts.size()) {
            throw new IllegalArgumentException("model " + name + "@" + version + " has two artifacts with the same role");
        }
        if (artifacts.stream().map(ArtifactSpec::fileName).distinct().count() != artifacts.size()) {
            throw new IllegalArgumentException("model " + name + "@" + version + " has two artifacts with the same file name");
        }
        parameters = parameters == null ? LoaderParameters.EMPTY : parameters;
        provenance = provenance == null ? new Provenance(Provenance.CUSTOM, null, null, false, null) : provenance;
    }

    /** @return the reference {@code name@version} */
    public ModelRef ref() {
        return new ModelRef(name, version);
    }

    /** @return the sum of the known artifact sizes, or -1 if any is unknown */
    public long totalSize() {
        long total = 0;
        for (ArtifactSpec a : artifacts) {
            if (a.size() < 0) {
                return -1;
            }
            total += a.size();
        }
        return total;
    }

    /**
     * @param role artifact role
     * @return the artifact with that role
     */
    public Optional<ArtifactSpec> artifact(String role) {
        return artifacts.stream().filter(a -> a.role().equals(role)).findFirst();
    }
}
