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

    /**
     * The metadata a component declared with {@link EmbeddingService}, from its properties (so it is written once).
     *
     * @param properties the component's (or service's) properties
     * @return description, version, author and tags; empty where absent
     */
    public static EmbeddingServiceMetadata of(java.util.Map<String, ?> properties) {
        Object tags = properties.get(VisionEmbeddingService.TAGS);
        List<String> list = tags instanceof String[] a ? List.of(a)
                : tags instanceof java.util.Collection<?> c ? c.stream().map(String::valueOf).toList()
                : tags == null ? List.of() : List.of(tags.toString());
        return new EmbeddingServiceMetadata(text(properties, VisionEmbeddingService.DESCRIPTION),
                text(properties, VisionEmbeddingService.VERSION), text(properties, VisionEmbeddingService.AUTHOR), list);
    }

    private static String text(java.util.Map<String, ?> properties, String key) {
        Object v = properties.get(key);
        return v == null ? "" : v.toString();
    }
}
