package hub.core.internal.store;

import hub.core.internal.Mappers;
import hub.api.DownloadRecord;
import hub.api.ModelRef;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Download records in the shared state ({@link hub.api.state.RecordKind#DOWNLOADS}, keyed by model name): the home's
 * {@code state/downloads.jsonl} by default, the fleet's database with {@code hub.state store=postgresql}.
 */
final class DownloadHistory {
    private final hub.api.state.StateStore state;

    DownloadHistory(hub.api.state.StateStore state) {
        this.state = state;
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
            state.append(hub.api.state.RecordKind.DOWNLOADS, r.ref().name(), Mappers.json().writeValueAsString(m));
        } catch (IOException | RuntimeException e) {
            System.getLogger(DownloadHistory.class.getName()).log(Level.WARNING, "cannot record the download of {0}:"
                    + " {1}", r.ref(), e.getMessage());
        }
    }

    List<DownloadRecord> read(String name) {
        List<DownloadRecord> out = new ArrayList<>();
        for (String line : state.records(hub.api.state.RecordKind.DOWNLOADS, name, Integer.MAX_VALUE)) {
            try {
                Map<?, ?> m = Mappers.json().readValue(line, Map.class);
                out.add(new DownloadRecord(new ModelRef((String) m.get("model"), (String) m.get("version")),
                        (String) m.get("role"), (String) m.get("source"), Instant.parse((String) m.get("started")),
                        Instant.parse((String) m.get("ended")), ((Number) m.get("bytes")).longValue(),
                        ((Number) m.get("resumedFrom")).longValue(), (String) m.get("outcome"),
                        (String) m.get("error")));
            } catch (IOException | RuntimeException e) {
                // not a download record of ours: skip it
            }
        }
        return out;
    }
}
