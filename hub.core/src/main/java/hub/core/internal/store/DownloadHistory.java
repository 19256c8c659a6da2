package hub.core.internal.store;

import hub.core.internal.Mappers;
import hub.api.DownloadRecord;
import hub.api.ModelRef;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Download records as JSON lines in the hub home's {@code state/downloads.jsonl}. Each record is one append of one
 * line, which the OS keeps whole even when two hub processes append at once.
 */
final class DownloadHistory {
    private final Path file;

    DownloadHistory(Path file) {
        this.file = file;
    }

    void add(DownloadRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", r.ref().name());
        m.put("version", r.ref().version());
        m.put("role", r.role());
        m.put("source", r.source());
        m.put("started", r.started().toString());
        m.put("ended", r.ended().toString());
        m.put("bytes", r.bytes());
        m.put("resumedFrom", r.resumedFrom());
        m.put("outcome", r.outcome());
        m.put("error", r.error());
        try {
            Files.createDirectories(file.getParent());
            byte[] line = (Mappers.json().writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8);
            Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.getLogger(DownloadHistory.class.getName()).log(Level.WARNING, "cannot record download in {0}: {1}",
                    file, e.getMessage());
        }
    }

    List<DownloadRecord> read(String name) {
        List<DownloadRecord> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    Map<?, ?> m = Mappers.json().readValue(line, Map.class);
                    if (name != null && !name.equals(m.get("model"))) {
                        continue;
                    }
                    out.add(new DownloadRecord(new ModelRef((String) m.get("model"), (String) m.get("version")),
                            (String) m.get("role"), (String) m.get("source"), Instant.parse((String) m.get("started")),
                            Instant.parse((String) m.get("ended")), ((Number) m.get("bytes")).longValue(),
                            ((Number) m.get("resumedFrom")).longValue(), (String) m.get("outcome"),
                            (String) m.get("error")));
                } catch (IOException | RuntimeException e) {
                    // a torn last line from a killed process: skip it
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }
}
