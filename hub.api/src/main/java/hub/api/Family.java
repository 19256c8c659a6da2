package hub.api;

import java.util.regex.Pattern;

/**
 * A model family, such as detection or ocr. The set is open: a third-party loader may introduce a family of its own,
 * so this is a validated name rather than an enum.
 *
 * @param id lower-case identifier, letters, digits and dashes
 */
public record Family(String id) {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    /** Object detection (boxes and labels). */
    public static final Family DETECTION = new Family("detection");
    /** Image classification. */
    public static final Family CLASSIFICATION = new Family("classification");
    /** Text detection and recognition. */
    public static final Family OCR = new Family("ocr");
    /** Face detection, landmarks and face embeddings. */
    public static final Family FACE = new Family("face");
    /** General image embeddings. */
    public static final Family EMBEDDING = new Family("embedding");

    /**
     * Validates the identifier.
     *
     * @param id the family name
     */
    public Family {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid family '" + id
                    + "' (lower-case letters, digits and dashes, starting with a letter)");
        }
    }

    /**
     * Parses a family name, lower-casing it.
     *
     * @param text the name
     * @return the family
     */
    public static Family of(String text) {
        return new Family(text == null ? null : text.trim().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public String toString() {
        return id;
    }
}
