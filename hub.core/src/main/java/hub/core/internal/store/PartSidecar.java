package hub.core.internal.store;

import hub.core.internal.Mappers;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What a {@code .part} file holds, written beside it as {@code .part.json}: the source, the server's validators and
 * sizes, so that a later attempt (or a restarted hub) can resume with {@code Range} + {@code If-Range}.
 *
 * @param source the artifact's source URI
 * @param etag the server's ETag, or null
 * @param lastModified the server's Last-Modified, or null
 * @param expectedSize declared or announced size, or -1
 * @param bytes bytes in the part file when last recorded
 */
record PartSidecar(String source, String etag, String lastModified, long expectedSize, long bytes) {

    static PartSidecar read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Mappers.json().readValue(file.toFile(), PartSidecar.class);
        } catch (IOException e) {
            return null; // a torn or foreign sidecar: start the artifact over
        }
    }

    void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Mappers.json().writeValue(tmp.toFile(), this);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** @return the validator for {@code If-Range}: the ETag when strong, else Last-Modified */
    String validator() {
        if (etag != null && !etag.startsWith("W/")) {
            return etag;
        }
        return lastModified;
    }
}
