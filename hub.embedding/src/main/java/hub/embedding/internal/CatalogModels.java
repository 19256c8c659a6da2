package hub.embedding.internal;

import hub.api.ArtifactSpec;
import hub.api.HubException;
import hub.api.LoaderParameters;
import hub.api.ModelDescriptor;
import hub.api.ModelHub;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import hub.api.embedding.EmbeddingModelInfo;

/** What the embedding services share: catalog lookups and model descriptions for the registry's listings. */
final class CatalogModels {
    private CatalogModels() {
    }

    /** The catalog entry for a reference; a bare name means its newest version. */
    static ModelDescriptor resolve(ModelRegistry registry, String model) {
        if (model == null || model.isBlank()) {
            throw new HubException("no model given and no default model configured");
        }
        return registry.get(ModelRef.parse(model.trim()));
    }

    /** Whether the catalog has this reference (a bare name: any version of it). */
    static boolean known(ModelRegistry registry, String model) {
        if (model == null || model.isBlank()) {
            return false;
        }
        ModelRef ref = ModelRef.parse(model.trim());
        return ref.version() == null ? !registry.versions(ref.name()).isEmpty() : registry.find(ref).isPresent();
    }

    /** Dimension from the descriptor's {@code dimension} parameter, memory and speed from its artifact sizes. */
    static EmbeddingModelInfo info(ModelDescriptor d, ModelHub hub) {
        LoaderParameters p = d.parameters();
        long bytes = d.artifacts().stream().mapToLong(ArtifactSpec::size).filter(s -> s > 0).sum();
        long memory = hub.loaded().stream().filter(i -> i.ref().equals(d.ref())).mapToLong(i -> i.memoryBytes())
                .findFirst().orElse(bytes * 3 / 2);
        int performance = bytes <= 0 ? 3 : bytes <= 5L << 20 ? 5 : bytes <= 20L << 20 ? 4 : bytes <= 60L << 20 ? 3
                : bytes <= 150L << 20 ? 2 : 1;
        String use = d.task() != null ? d.task() : d.description() != null ? d.description() : d.family().id();
        return new EmbeddingModelInfo(d.ref().toString(), p.integer("dimension", -1),
                p.integer(LoaderParameters.INPUT_SIZE, -1), memory, performance, use);
    }
}
