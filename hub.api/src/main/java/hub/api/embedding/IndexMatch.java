package hub.api.embedding;

/**
 * @param id entry id
 * @param score cosine similarity -1..1
 * @param source where the entry's vector came from, or null
 */
public record IndexMatch(String id, float score, String source) {
}
