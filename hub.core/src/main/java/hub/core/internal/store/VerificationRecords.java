package hub.core.internal.store;

import hub.core.internal.Mappers;
import com.fasterxml.jackson.core.type.TypeReference;
import hub.api.ModelRef;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code .verified} record of each cached version: per artifact role, the file, its SHA-256 and size. Updates
 * are read-modify-write under a file lock, since two hub processes may publish different artifacts of one version.
 */
final class VerificationRecords {
    private static final TypeReference<Map<String, FileArtifactStore.VerifiedFile>> TYPE = new TypeReference<>() {
    };
    private final CacheLayout layout;

    VerificationRecords(CacheLayout layout) {
        this.layout = layout;
    }

    Map<String, FileArtifactStore.VerifiedFile> read(ModelRef ref) {
        Path file = layout.record(ref);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            return Mappers.json().readValue(file.toFile(), TYPE);
        } catch (IOException e) {
            System.getLogger(VerificationRecords.class.getName()).log(Level.WARNING,
                    "unreadable verification record {0}: {1}", file, e.getMessage());
            return Map.of();
        }
    }

    synchronized void put(ModelRef ref, String role, FileArtifactStore.VerifiedFile v) throws IOException {
        Path file = layout.record(ref);
        try (FileChannel ch = FileChannel.open(file.resolveSibling(CacheLayout.RECORD + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
            Map<String, FileArtifactStore.VerifiedFile> rec = new HashMap<>(read(ref));
            rec.put(role, v);
            Path tmp = Files.createTempFile(file.getParent(), ".verified", ".tmp");
            try {
                Mappers.json().writeValue(tmp.toFile(), rec);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
