package hub.api.objectstore;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * An open read of an object.
 *
 * @param body the bytes from {@code offset} on
 * @param offset where the body starts: the offset asked for, or 0 when the object changed and comes whole again
 * @param size the whole object's size in bytes, or -1 when unknown
 * @param etag the object's entity tag, or null
 */
public record ObjectRead(InputStream body, long offset, long size, String etag) implements Closeable {
    @Override
    public void close() throws IOException {
        body.close();
    }
}
