package hub.api;

/**
 * Where a catalog entry comes from and how far its checksums can be trusted.
 *
 * @param origin {@link #BUILTIN}, {@link #CUSTOM} or {@link #MANIFEST}
 * @param publisher who publishes the files (e.g. "ONNX model zoo")
 * @param homepage a page describing the model, or null
 * @param checksumPublished whether the publisher publishes the SHA-256; if not, the hub records it at first download
 * @param note free text (paper, export details, caveats), or null
 */
public record Provenance(String origin, String publisher, String homepage, boolean checksumPublished, String note) {
    /** Shipped with the hub. */
    public static final String BUILTIN = "builtin";
    /** Registered by a user. */
    public static final String CUSTOM = "custom";
    /** Declared in a synced manifest. */
    public static final String MANIFEST = "manifest";

    /** Fills missing mandatory fields. */
    public Provenance {
        origin = origin == null ? CUSTOM : origin;
        publisher = publisher == null ? "unknown" : publisher;
    }
}
