package hub.api.task;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** Object detection. */
@ConsumerType
public interface Detector {
    /**
     * @param images encoded images
     * @param options thresholds
     * @return one result per image, in order; a bad image gets an error and never stops the batch
     */
    List<ImageResult<List<Detection>>> detect(List<ImageInput> images, DetectionOptions options);
}
