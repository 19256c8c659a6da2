package hub.api;

import java.util.List;

/** Models are not in the cache and may not be downloaded now (offline or verify-only). */
public class ModelsMissingException extends HubException {
    private static final long serialVersionUID = 1L;
    private final List<String> missing;

    /**
     * @param missing each missing model version with the reason (e.g. "yolov8n@8.2.0: not downloaded")
     */
    public ModelsMissingException(List<String> missing) {
        super(missing.size() + " model(s) missing: " + String.join("; ", missing));
        this.missing = List.copyOf(missing);
    }

    /** @return what is missing */
    public List<String> missing() {
        return missing;
    }

    @Override
    public String code() {
        return "models-missing";
    }

    @Override
    public int exitCode() {
        return 8;
    }
}
