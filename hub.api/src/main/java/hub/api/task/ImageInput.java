package hub.api.task;

import java.util.Objects;

/**
 * An encoded image (JPEG, PNG, BMP or GIF) with a name for results and errors.
 *
 * @param name where it came from (file name, upload name)
 * @param data the encoded bytes
 */
public record ImageInput(String name, byte[] data) {
    /** Rejects null data. */
    public ImageInput {
        Objects.requireNonNull(data, "image data");
        name = name == null ? "image" : name;
    }
}
