package hub.api.task;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** Face detection with landmarks. */
@ConsumerType
public interface FaceDetector {
    /**
     * @param images encoded images
     * @param threshold minimum score, NaN for the model's default
     * @return per image, its faces
     */
    List<ImageResult<List<Face>>> detectFaces(List<ImageInput> images, float threshold);
}
