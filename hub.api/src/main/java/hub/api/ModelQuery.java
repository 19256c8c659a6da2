package hub.api;

/**
 * A catalog filter; null fields match everything.
 *
 * @param family only this family
 * @param tag only models with this tag
 * @param tier only models visible to this tier (that tier and lower ones)
 */
public record ModelQuery(Family family, String tag, AccessTier tier) {
    /** Matches every model. */
    public static final ModelQuery ALL = new ModelQuery(null, null, null);

    /**
     * @param d a descriptor
     * @return whether it passes the filter
     */
    public boolean matches(ModelDescriptor d) {
        return (family == null || family.equals(d.family()))
                && (tag == null || d.tags().contains(tag))
                && (tier == null || tier.includes(d.tier()));
    }
}
