package hub.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/** Streaming SHA-256 and size of files and streams. */
@ProviderType
public interface ChecksumService {
    /**
     * @param file a regular file
     * @return its checksum and size
     * @throws IOException when it cannot be read
     */
    Checksum checksum(Path file) throws IOException;

    /**
     * Reads the stream to its end (without closing it).
     *
     * @param in the stream
     * @return checksum and byte count
     * @throws IOException on read errors
     */
    Checksum checksum(InputStream in) throws IOException;

    /**
     * @param file a file
     * @param expectedSha256 hex SHA-256 (any case)
     * @return whether the file's SHA-256 equals the expected one
     * @throws IOException when it cannot be read
     */
    default boolean matches(Path file, String expectedSha256) throws IOException {
        return checksum(file).sha256().equalsIgnoreCase(expectedSha256);
    }
}
