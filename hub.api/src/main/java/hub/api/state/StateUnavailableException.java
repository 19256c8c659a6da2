package hub.api.state;

import hub.api.HubException;

/**
 * The shared state cannot be reached (the database is down or refuses the hub): reads may still be served from a
 * hub's cache, writes fail with this, nothing is half-applied. Over HTTP: 503.
 */
public class StateUnavailableException extends HubException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be done and why
     * @param cause the storage's error
     */
    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "state-unavailable";
    }

    @Override
    public int exitCode() {
        return 9;
    }
}
