package hub.api;

/** No loader bundle for the model's family is installed and active. */
public class LoaderUnavailableException extends HubException {
    private static final long serialVersionUID = 1L;

    /**
     * @param family the family without a loader
     */
    public LoaderUnavailableException(Family family) {
        super("no loader for family '" + family + "' is available (is its loader bundle installed and active?)");
    }

    @Override
    public String code() {
        return "loader-unavailable";
    }

    @Override
    public int exitCode() {
        return 6;
    }
}
