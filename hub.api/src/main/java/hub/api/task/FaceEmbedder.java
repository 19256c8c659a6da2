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

    /** @return the cosine similarity from which two faces count as the same person for this model */
    default float defaultThreshold() {
        return 0.4f;
    }

    /**
     * @param a one face's embedding
     * @param b another's
     * @param threshold minimum cosine similarity, NaN for {@link #defaultThreshold()}
     * @return whether they are the same person
     */
    default boolean verify(Embedding a, Embedding b, float threshold) {
        return a.cosine(b) >= (Float.isNaN(threshold) ? defaultThreshold() : threshold);
    }

    /**
     * @param face the face to identify
     * @param gallery known faces by id
     * @param threshold minimum cosine similarity, NaN for {@link #defaultThreshold()}
     * @return the most similar gallery entry, with whether it matches; empty for an empty gallery
     */
    default java.util.Optional<FaceMatch> identify(Embedding face, java.util.Map<String, Embedding> gallery,
            float threshold) {
        float t = Float.isNaN(threshold) ? defaultThreshold() : threshold;
        return gallery.entrySet().stream().map(e -> new FaceMatch(e.getKey(), face.cosine(e.getValue()), false))
                .max(java.util.Comparator.comparingDouble(FaceMatch::similarity))
                .map(m -> new FaceMatch(m.id(), m.similarity(), m.similarity() >= t));
    }
}
