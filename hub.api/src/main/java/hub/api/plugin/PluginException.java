package hub.api.plugin;

import hub.api.HubException;

/** A plug-in that cannot be installed or removed: not a bundle, needs an API this hub does not have, not found. */
public class PluginException extends HubException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, naming the jar or plug-in
     */
    public PluginException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong
     * @param cause the underlying error
     */
    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "bad-plugin";
    }

    @Override
    public int exitCode() {
        return 2;
    }
}
