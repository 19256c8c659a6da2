package hub.api.embedding;

/**
 * @param healthy whether the service can embed now
 * @param reason why (or why not), for people
 */
public record EmbeddingHealth(boolean healthy, String reason) {
    /**
     * @param reason what is fine
     * @return healthy
     */
    public static EmbeddingHealth ok(String reason) {
        return new EmbeddingHealth(true, reason);
    }

    /**
     * @param reason what is wrong
     * @return unhealthy
     */
    public static EmbeddingHealth failing(String reason) {
        return new EmbeddingHealth(false, reason);
    }
}
