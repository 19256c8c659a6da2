package hub.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hub.api.ModelRef;
import hub.api.mirror.MirrorRecord;
import hub.api.state.StateKind;
import hub.api.state.StateStore;
import hub.core.internal.Mappers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mirrors of model versions in the shared state ({@link StateKind#MIRRORS}, one document per {@code NAME@VERSION}):
 * {@code {"mirrors": [{"location", "pushedAt", "pushedBy", "artifacts": [{"role", "uri", "sha256", "size"}]}]}}.
 */
public final class MirrorCatalog {
    private MirrorCatalog() {
    }

    /**
     * @param state the shared state
     * @param ref a model version
     * @return its mirrors, newest push first
     */
    static List<MirrorRecord> read(StateStore state, ModelRef ref) {
        return state.document(StateKind.MIRRORS, ref.toString()).map(doc -> decode(ref.toString(), doc))
                .orElse(List.of());
    }

    /**
     * @param state the shared state
     * @return every model version's mirrors
     */
    static List<MirrorRecord> all(StateStore state) {
        List<MirrorRecord> out = new ArrayList<>();
        state.documents(StateKind.MIRRORS).forEach((key, doc) -> out.addAll(decode(key, doc)));
        return out;
    }

    /**
     * Records a push: replaces the version's mirror at the same location, keeps the others.
     *
     * @param state the shared state
     * @param r the push
     */
    static void record(StateStore state, MirrorRecord r) {
        String key = r.model().toString();
        List<MirrorRecord> kept = new ArrayList<>(List.of(r));
        for (MirrorRecord m : read(state, r.model())) {
            if (!m.location().equals(r.location())) {
                kept.add(m);
            }
        }
        state.write(StateKind.MIRRORS, Map.of(key, encode(kept)), Set.of());
    }

    /**
     * Reads a stored document as the hubs do (import checks documents with it).
     *
     * @param key {@code NAME@VERSION}
     * @param doc the document
     * @return its mirrors
     * @throws IllegalArgumentException when it is not a mirror document of that version
     */
    public static List<MirrorRecord> decode(String key, String doc) {
        ModelRef ref = ModelRef.parse(key);
        if (ref.version() == null) {
            throw new IllegalArgumentException("mirror key " + key + " names no version");
        }
        JsonNode root;
        try {
            root = Mappers.json().readTree(doc);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        JsonNode list = root.path("mirrors");
        if (!list.isArray()) {
            throw new IllegalArgumentException("no \"mirrors\" list");
        }
        List<MirrorRecord> out = new ArrayList<>();
        for (JsonNode m : list) {
            List<MirrorRecord.MirroredArtifact> artifacts = new ArrayList<>();
            for (JsonNode a : m.path("artifacts")) {
                String sha = text(a, "sha256");
                if (!sha.matches("[0-9a-f]{64}")) {
                    throw new IllegalArgumentException("artifact " + a.path("role").asText() + ": no sha256");
                }
                artifacts.add(new MirrorRecord.MirroredArtifact(text(a, "role"), URI.create(text(a, "uri")), sha,
                        a.path("size").asLong(-1)));
            }
            out.add(new MirrorRecord(ref, URI.create(text(m, "location")), Instant.parse(text(m, "pushedAt")),
                    m.path("pushedBy").asText(""), artifacts));
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return v.asText();
    }

    static String encode(List<MirrorRecord> mirrors) {
        ObjectNode root = Mappers.json().createObjectNode();
        ArrayNode list = root.putArray("mirrors");
        for (MirrorRecord m : mirrors) {
            ObjectNode o = list.addObject();
            o.put("location", m.location().toString());
            o.put("pushedAt", m.pushedAt().toString());
            o.put("pushedBy", m.pushedBy());
            ArrayNode arts = o.putArray("artifacts");
            for (MirrorRecord.MirroredArtifact a : m.artifacts()) {
                arts.addObject().put("role", a.role()).put("uri", a.uri().toString()).put("sha256", a.sha256())
                        .put("size", a.size());
            }
        }
        try {
            return Mappers.json().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
