package hub.api.embedding;

/**
 * The embedding of one image, or that image's error.
 *
 * @param source the image's name
 * @param model the model reference that produced it
 * @param dimension vector length (0 on error)
 * @param vector the L2-normalised vector, or null on error
 * @param error what went wrong with this image, or null
 */
public record EmbeddingResult(String source, String model, int dimension, float[] vector, String error) {
    /**
     * @param source image name
     * @param model model reference
     * @param vector the vector
     * @return a success
     */
    public static EmbeddingResult ok(String source, String model, float[] vector) {
        return new EmbeddingResult(source, model, vector.length, vector, null);
    }

    /**
     * @param source image name
     * @param model model reference
     * @param error what went wrong
     * @return a failure
     */
    public static EmbeddingResult failed(String source, String model, String error) {
        return new EmbeddingResult(source, model, 0, null, error);
    }
}
