package hub.api.task;

import java.util.Optional;

/**
 * The result for one image of a batch: a value, or the error for that image alone.
 *
 * @param source the image's name
 * @param value the result, or null on error
 * @param error what went wrong with this image, or null
 * @param <T> result type
 */
public record ImageResult<T>(String source, T value, String error) {
    /**
     * @param source image name
     * @param value result
     * @param <T> result type
     * @return a success
     */
    public static <T> ImageResult<T> ok(String source, T value) {
        return new ImageResult<>(source, value, null);
    }

    /**
     * @param source image name
     * @param error what went wrong
     * @param <T> result type
     * @return a failure
     */
    public static <T> ImageResult<T> failed(String source, String error) {
        return new ImageResult<>(source, null, error);
    }

    /** @return the value when successful */
    public Optional<T> result() {
        return Optional.ofNullable(value);
    }
}
