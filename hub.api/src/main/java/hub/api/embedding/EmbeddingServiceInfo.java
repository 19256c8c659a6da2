package hub.api.embedding;

import java.util.List;

/**
 * A registered embedding service as the registry sees it.
 *
 * @param id service id
 * @param bundle symbolic name of the bundle that registered it
 * @param metadata description, version, author, tags
 * @param models models it offers
 * @param defaultModel its default model
 * @param health its health now
 */
public record EmbeddingServiceInfo(String id, String bundle, EmbeddingServiceMetadata metadata,
        List<EmbeddingModelInfo> models, String defaultModel, EmbeddingHealth health) {
    /** Copies the models. */
    public EmbeddingServiceInfo {
        models = List.copyOf(models);
    }
}
