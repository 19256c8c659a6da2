package hub.api.task;

/**
 * The best gallery match of a face.
 *
 * @param id the gallery entry's id
 * @param similarity cosine similarity -1..1
 * @param match whether it reaches the threshold
 */
public record FaceMatch(String id, float similarity, boolean match) {
}
