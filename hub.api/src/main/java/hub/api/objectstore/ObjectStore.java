package hub.api.objectstore;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An object store for one URI scheme. Errors follow one rule, so that the hub retries only what is worth it: an
 * {@link IOException} is transient (a dropped connection, a timeout, a 5xx, throttling) and the caller may try again;
 * a {@link hub.api.ArtifactException} is final (no such object or bucket, bad or missing credentials, access denied)
 * and says so in one line that never holds a secret.
 */
@ConsumerType
public interface ObjectStore {
    /** Service property naming the URI scheme a store serves, e.g. {@code s3}. */
    String SCHEME = "hub.objectstore.scheme";

    /** @return the URI scheme this store serves, e.g. {@code s3} */
    String scheme();

    /** @return where this store sends requests, for messages (an endpoint and region; never a credential) */
    String describe();

    /**
     * Reads an object from an offset.
     *
     * @param uri the object
     * @param offset the first byte wanted (0: the whole object)
     * @param ifMatch the entity tag the bytes before {@code offset} came from, or null: when the object has changed
     *        since, it is read whole from 0 instead ({@link ObjectRead#offset()} says which)
     * @return the open body, which the caller closes
     * @throws IOException on a transient failure
     */
    ObjectRead read(URI uri, long offset, String ifMatch) throws IOException;

    /**
     * @param uri an object
     * @return its size, entity tag and metadata, or empty when there is no such object
     * @throws IOException on a transient failure
     */
    Optional<ObjectInfo> stat(URI uri) throws IOException;

    /**
     * @param prefix a location ({@code s3://BUCKET/PREFIX/})
     * @return the objects under it, in key order
     * @throws IOException on a transient failure
     */
    List<ObjectInfo> list(URI prefix) throws IOException;

    /**
     * Uploads a file, in parts where it is large, resuming an upload of the same file to the same place that an
     * earlier call left unfinished (its parts already stored are checked, not sent again). The object appears whole
     * or not at all.
     *
     * @param uri where to
     * @param file the file
     * @param metadata user metadata stored with the object (e.g. its SHA-256)
     * @param progress told the bytes stored so far, or null
     * @return the stored object
     * @throws IOException on a transient failure (a later call resumes)
     */
    ObjectInfo write(URI uri, Path file, Map<String, String> metadata, UploadProgress progress) throws IOException;
}
