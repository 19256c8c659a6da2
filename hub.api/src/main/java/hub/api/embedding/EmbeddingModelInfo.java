package hub.api.embedding;

/**
 * A model an embedding service offers.
 *
 * @param model catalog reference NAME@VERSION
 * @param dimension vector length, or -1 until known
 * @param inputSize side of the square input in pixels, or -1
 * @param memoryEstimateBytes memory the loaded model is expected to hold
 * @param performance relative speed, 1 (slowest) to 5 (fastest)
 * @param recommendedUse what it is good for
 */
public record EmbeddingModelInfo(String model, int dimension, int inputSize, long memoryEstimateBytes, int performance,
        String recommendedUse) {
}
