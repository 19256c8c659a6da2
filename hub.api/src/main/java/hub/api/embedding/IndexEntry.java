package hub.api.embedding;

/**
 * @param id entry id (an image name, a person...)
 * @param model model reference that made the vector
 * @param vector the vector
 * @param source where the vector came from (a file path), or null
 */
public record IndexEntry(String id, String model, float[] vector, String source) {
}
