package hub.api.inference;

import hub.api.HubException;
import java.util.List;

/** No image of a request could be used; each image's reason is in {@link #details()} (HTTP 400, exit 2). */
public class UnreadableImagesException extends HubException {
    private static final long serialVersionUID = 1L;
    private final List<String> details;

    /**
     * @param message a summary
     * @param details one line per image: {@code NAME: reason}
     */
    public UnreadableImagesException(String message, List<String> details) {
        super(message);
        this.details = List.copyOf(details);
    }

    /** @return one line per image */
    public List<String> details() {
        return details;
    }

    @Override
    public String code() {
        return "bad_request";
    }

    @Override
    public int exitCode() {
        return 2;
    }
}
