package hub.api;

import java.util.List;

/** A switch was refused or failed; no alias changed. */
public class SwitchException extends HubException {
    private static final long serialVersionUID = 1L;
    private final List<String> failures;

    /**
     * @param failures one line per failed alias or model, saying why
     */
    public SwitchException(List<String> failures) {
        super("switch failed, nothing changed: " + String.join("; ", failures));
        this.failures = List.copyOf(failures);
    }

    /** @return what failed and why */
    public List<String> failures() {
        return failures;
    }

    @Override
    public String code() {
        return "switch-failed";
    }

    @Override
    public int exitCode() {
        return 10;
    }
}
