package hub.api.task;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** Face recognition embeddings: aligns each face from its landmarks and embeds it. */
@ConsumerType
public interface FaceEmbedder {
    /**
     * @param image the image the faces were found in
     * @param faces faces with landmarks, from a {@link FaceDetector}
     * @return one embedding per face, in order
     */
    List<Embedding> embedFaces(ImageInput image, List<Face> faces);
}
