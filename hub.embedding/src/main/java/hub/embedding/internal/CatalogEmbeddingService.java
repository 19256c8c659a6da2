package hub.embedding.internal;

import hub.api.ModelHub;
import hub.api.ModelRegistry;
import hub.api.embedding.EmbeddingServiceMetadata;
import hub.api.embedding.VisionEmbeddingService;
import java.util.Map;

/**
 * What the shipped embedding services share: the runtime and the catalog they work with, and their id and metadata,
 * read from the component properties their {@code @EmbeddingService} annotation declares.
 */
abstract class CatalogEmbeddingService implements VisionEmbeddingService {
    protected final ModelHub hub;
    protected final ModelRegistry registry;
    private final String id;
    private final EmbeddingServiceMetadata metadata;

    CatalogEmbeddingService(ModelHub hub, ModelRegistry registry, Map<String, Object> properties) {
        this.hub = hub;
        this.registry = registry;
        this.id = String.valueOf(properties.get(VisionEmbeddingService.ID));
        this.metadata = EmbeddingServiceMetadata.of(properties);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public EmbeddingServiceMetadata metadata() {
        return metadata;
    }
}
