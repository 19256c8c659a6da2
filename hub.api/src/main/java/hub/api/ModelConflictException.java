package hub.api;

/** A registration clashes with an existing entry (same name and version), or a built-in entry cannot be changed. */
public class ModelConflictException extends HubException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what clashes with what
     */
    public ModelConflictException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "model-conflict";
    }

    @Override
    public int exitCode() {
        return 4;
    }
}
