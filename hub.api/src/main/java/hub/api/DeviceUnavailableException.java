package hub.api;

/** The requested device cannot be used and no fallback is allowed (strict mode). */
public class DeviceUnavailableException extends HubException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which device and why
     */
    public DeviceUnavailableException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "device-unavailable";
    }

    @Override
    public int exitCode() {
        return 7;
    }
}
