package hub.api;

/**
 * Base of the hub's typed errors. Each kind has a stable {@link #code()} for machines and an {@link #exitCode()}
 * the command line exits with.
 */
public class HubException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the model, file or field
     */
    public HubException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause the underlying error
     */
    public HubException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @return a stable machine-readable error code */
    public String code() {
        return "hub-error";
    }

    /** @return the command line's exit status for this error (1 for a generic failure) */
    public int exitCode() {
        return 1;
    }
}
