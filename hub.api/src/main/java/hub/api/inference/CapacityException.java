package hub.api.inference;

import hub.api.HubException;

/** The hub cannot take the request now (its decoding budget stayed full while the request waited); retry later (HTTP 503). */
public class CapacityException extends HubException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is full and for how long the request waited
     */
    public CapacityException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "busy";
    }
}
