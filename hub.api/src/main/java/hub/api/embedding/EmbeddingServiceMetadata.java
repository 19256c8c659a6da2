package hub.api.embedding;

import java.util.List;

/**
 * @param description one line
 * @param version the implementation's version
 * @param author who wrote it
 * @param tags free tags
 */
public record EmbeddingServiceMetadata(String description, String version, String author, List<String> tags) {
    /** Copies the tags. */
    public EmbeddingServiceMetadata {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
