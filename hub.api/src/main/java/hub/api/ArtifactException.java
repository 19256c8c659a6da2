package hub.api;

/** A model file could not be fetched, verified or stored. */
public class ArtifactException extends HubException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the model, artifact and source (never a credential)
     * @param cause the underlying error, or null
     */
    public ArtifactException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "artifact-error";
    }

    @Override
    public int exitCode() {
        return 5;
    }
}
