package hub.api;

import java.util.Locale;

/** How much a downloaded artifact is checked before it is published. */
public enum VerificationLevel {
    /** Publish whatever arrived (the checksum is still computed and recorded). */
    NONE,
    /** Check the byte count against the declared size. */
    SIZE,
    /** Check size and SHA-256 (the default). */
    SHA256;

    /**
     * @param text {@code none}, {@code size} or {@code sha256}
     * @return the level
     * @throws IllegalArgumentException naming the accepted values
     */
    public static VerificationLevel parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace("-", "");
        for (VerificationLevel v : values()) {
            if (v.name().equals(t)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown verification level '" + text + "' (expected none, size or sha256)");
    }
}
