package hub.api.task;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** Image classification. */
@ConsumerType
public interface Classifier {
    /**
     * @param images encoded images
     * @param topK how many classes per image, most probable first
     * @return one result per image, in order
     */
    List<ImageResult<List<Classification>>> classify(List<ImageInput> images, int topK);
}
