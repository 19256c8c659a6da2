package hub.api;

/** No catalog entry matches the reference. */
public class ModelNotFoundException extends HubException {
    private static final long serialVersionUID = 1L;
    private final String reference;

    /**
     * @param reference the reference that matched nothing
     * @param detail what is known instead (available versions, say), or null
     */
    public ModelNotFoundException(String reference, String detail) {
        super("unknown model '" + reference + "'" + (detail == null ? "" : ": " + detail));
        this.reference = reference;
    }

    /** @return the reference that matched nothing */
    public String reference() {
        return reference;
    }

    @Override
    public String code() {
        return "model-not-found";
    }

    @Override
    public int exitCode() {
        return 3;
    }
}
