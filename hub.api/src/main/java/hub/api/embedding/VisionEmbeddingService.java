package hub.api.embedding;

import hub.api.HubException;
import hub.api.task.ImageInput;
import java.util.ArrayList;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A service turning images into vectors. Implementations are DS components registered under this interface, with
 * {@link EmbeddingService} putting their id and metadata into the service properties; their models run in the hub's
 * runtime (leases, budgets, idle timeouts) like every other model.
 */
@ConsumerType
public interface VisionEmbeddingService {
    /** Service property: the service id. */
    String ID = "hub.embedding.id";
    /** Service property: a one-line description. */
    String DESCRIPTION = "hub.embedding.description";
    /** Service property: the implementation's version. */
    String VERSION = "hub.embedding.version";
    /** Service property: who wrote it. */
    String AUTHOR = "hub.embedding.author";
    /** Service property: tags (String[]). */
    String TAGS = "hub.embedding.tags";

    /** @return the id, unique among embedding services (e.g. {@code face}) */
    String id();

    /** @return description, version, author and tags */
    EmbeddingServiceMetadata metadata();

    /** @return the models it can embed with, as the catalog knows them now */
    List<EmbeddingModelInfo> models();

    /** @return the model used when a caller names none (a catalog reference) */
    String defaultModel();

    /**
     * Embeds images one result each, in order; one image's failure (unreadable, no face...) is that image's error and
     * never spoils the others.
     *
     * @param images encoded images
     * @param model a catalog reference, or null for {@link #defaultModel()}
     * @param batchSize images per inference run at most (values below 1: the service's choice)
     * @return one result per image
     * @throws HubException when the model itself cannot be used (unknown, not downloaded, no loader)
     */
    List<EmbeddingResult> embedDetailed(List<ImageInput> images, String model, int batchSize);

    /**
     * @param images encoded images
     * @param model a catalog reference, or null for the default
     * @return one vector per image
     * @throws HubException naming the first image that failed, or when the model cannot be used
     */
    default List<float[]> embed(List<ImageInput> images, String model) {
        List<float[]> out = new ArrayList<>();
        for (EmbeddingResult r : embedDetailed(images, model, 0)) {
            if (r.error() != null) {
                throw new HubException(r.source() + ": " + r.error());
            }
            out.add(r.vector());
        }
        return out;
    }

    /** @return whether the service can work now, and why not */
    EmbeddingHealth health();
}
