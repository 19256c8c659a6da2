package hub.api.objectstore;

import org.osgi.annotation.versioning.ConsumerType;

/** Told how an upload advances. */
@ConsumerType
@FunctionalInterface
public interface UploadProgress {
    /**
     * @param stored bytes stored so far (parts an earlier, interrupted upload left count too)
     * @param total the file's size
     * @param reused bytes of parts an earlier upload had already stored (not sent again)
     */
    void stored(long stored, long total, long reused);
}
