package hub.api.task;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** Whole-image embeddings. */
@ConsumerType
public interface ImageEmbedder {
    /**
     * @param images encoded images
     * @return one embedding per image, or that image's error
     */
    List<ImageResult<Embedding>> embed(List<ImageInput> images);
}
