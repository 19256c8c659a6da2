package hub.api.access;

import hub.api.HubException;

/** The caller's tier or role does not allow the operation (HTTP 403). */
public class AccessDeniedException extends HubException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was refused and why: the model's tier and the caller's, or the role it needs
     */
    public AccessDeniedException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "forbidden";
    }

    @Override
    public int exitCode() {
        return 11;
    }
}
