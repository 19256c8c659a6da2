package hub.api;

/**
 * The request would download a model's files, and its caller may not cause downloads: an admin must pull the model
 * first (HTTP 409).
 */
public class ModelNotCachedException extends HubException {
    private static final long serialVersionUID = 1L;
    private final ModelRef ref;

    /**
     * @param ref the model version that is not in the cache
     */
    public ModelNotCachedException(ModelRef ref) {
        super(ref + " is not in the cache and this caller may not download it: an admin must pull it first (hub pull "
                + ref + ", or POST /api/v1/models/" + ref.name() + "/download?version=" + ref.version() + ")");
        this.ref = ref;
    }

    /**
     * @param ref the model version that is not in the cache
     * @param message why it may not be downloaded now, and what to do
     */
    public ModelNotCachedException(ModelRef ref, String message) {
        super(message);
        this.ref = ref;
    }

    /** @return the model version */
    public ModelRef ref() {
        return ref;
    }

    @Override
    public String code() {
        return "not_cached";
    }

    @Override
    public int exitCode() {
        return 8;
    }
}
