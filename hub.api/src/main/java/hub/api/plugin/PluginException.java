package hub.api.plugin;

import hub.api.HubException;

/** A plug-in that cannot be installed or removed: not a bundle, needs an API this hub does not have, not found. */
public class PluginException extends HubException {
    /** {@link #code()} of a plug-in name that names none. */
    public static final String NOT_FOUND = "plugin-not-found";
    private static final long serialVersionUID = 1L;
    private final String code;

    /**
     * @param message what is wrong, naming the jar or plug-in
     */
    public PluginException(String message) {
        super(message);
        this.code = "bad-plugin";
    }

    /**
     * @param code {@link #NOT_FOUND}, or {@code bad-plugin}
     * @param message what is wrong, naming the plug-in
     */
    public PluginException(String code, String message) {
        super(message);
        this.code = code;
    }

    /**
     * @param message what is wrong
     * @param cause the underlying error
     */
    public PluginException(String message, Throwable cause) {
        super(message, cause);
        this.code = "bad-plugin";
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public int exitCode() {
        return 2;
    }
}
