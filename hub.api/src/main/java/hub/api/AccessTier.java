package hub.api;

import java.util.Locale;

/** Access tiers of the catalog; a tier sees its own models and those of lower tiers. */
public enum AccessTier {
    /** Small models anyone may use. */
    LITE,
    /** The default tier. */
    STANDARD,
    /** Large or restricted models. */
    PROFESSIONAL;

    /**
     * Whether a caller of this tier may use a model of the given tier.
     *
     * @param modelTier the model's tier
     * @return true when {@code modelTier} is this tier or a lower one
     */
    public boolean includes(AccessTier modelTier) {
        return modelTier.ordinal() <= ordinal();
    }

    /**
     * Parses a tier name case-insensitively.
     *
     * @param text {@code lite}, {@code standard} or {@code professional}
     * @return the tier
     * @throws IllegalArgumentException naming the accepted values
     */
    public static AccessTier parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        for (AccessTier tier : values()) {
            if (tier.name().equals(t)) {
                return tier;
            }
        }
        throw new IllegalArgumentException("unknown tier '" + text + "' (expected lite, standard or professional)");
    }

    /** @return the lower-case name used in descriptors and on the command line */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
