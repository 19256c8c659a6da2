package hub.api.task;

/**
 * An embedding vector.
 *
 * @param model the model version that produced it
 * @param vector the values (L2-normalised where the producer says so)
 */
public record Embedding(String model, float[] vector) {
    /** @return the dimension */
    public int dimension() {
        return vector.length;
    }

    /**
     * @param other another vector of the same dimension
     * @return cosine similarity -1..1
     */
    public float cosine(Embedding other) {
        if (other.vector.length != vector.length) {
            throw new IllegalArgumentException("dimension mismatch: " + vector.length + " vs " + other.vector.length);
        }
        double dot = 0;
        double a = 0;
        double b = 0;
        for (int i = 0; i < vector.length; i++) {
            dot += vector[i] * other.vector[i];
            a += vector[i] * vector[i];
            b += other.vector[i] * other.vector[i];
        }
        return a == 0 || b == 0 ? 0 : (float) (dot / Math.sqrt(a * b));
    }
}
