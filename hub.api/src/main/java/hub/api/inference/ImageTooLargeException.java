package hub.api.inference;

import hub.api.HubException;

/**
 * An image would decode to more memory than the hub allows for one image, or a request's images together to more
 * than its whole decoding budget (HTTP 413, exit 2). The message names the image, its size and the limit.
 */
public class ImageTooLargeException extends HubException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the image, its dimensions and decoded size, and the limit
     */
    public ImageTooLargeException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "too_large";
    }

    @Override
    public int exitCode() {
        return 2;
    }
}
