package hub.core.internal.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hub.api.state.RecordKind;
import hub.api.state.StateKind;
import hub.api.state.StateStore;
import hub.api.state.StateTransfer;
import hub.core.internal.Mappers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Export and import of the shared state as one JSON document:
 * {@code {"format": "vision-hub-state", "version": 1, "documents": {KIND: {key: document}}, "records": {KIND:
 * [{"key", "record"}]}}}, documents and records as JSON values (not strings), so the file reads well and diffs.
 */
@Component(service = StateTransfer.class)
public class StateArchive implements StateTransfer {
    static final String FORMAT = "vision-hub-state";
    /** What moves between stores: not the live hubs or switches in progress, which belong to running processes. */
    static final List<StateKind> DOCUMENTS = List.of(StateKind.CATALOG, StateKind.ALIASES, StateKind.PINS,
            StateKind.KEYS, StateKind.MIRRORS);

    private final StateStore store;

    /** @param store the store this hub uses */
    @Activate
    public StateArchive(@Reference(target = FileStateStore.SELECTED) StateStore store) {
        this.store = store;
    }

    @Override
    public Map<String, Integer> exportState(OutputStream out) throws IOException {
        ObjectNode root = Mappers.json().createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        root.put("exported", Instant.now().toString());
        root.put("from", store.describe());
        Map<String, Integer> counts = new LinkedHashMap<>();
        ObjectNode documents = root.putObject("documents");
        for (StateKind kind : DOCUMENTS) {
            ObjectNode docs = documents.putObject(kind.name());
            store.documents(kind).forEach((key, doc) -> docs.set(key, tree(doc, kind + " " + key)));
            counts.put(kind.name(), docs.size());
        }
        ObjectNode records = root.putObject("records");
        for (RecordKind kind : RecordKind.values()) {
            ArrayNode list = records.putArray(kind.name());
            for (Map.Entry<String, String> e : store.recordEntries(kind, Integer.MAX_VALUE)) {
                ObjectNode r = list.addObject();
                r.put("key", e.getKey());
                r.set("record", tree(e.getValue(), kind + " record"));
            }
            counts.put(kind.name(), list.size());
        }
        Mappers.json().writerWithDefaultPrettyPrinter().writeValue(new java.io.FilterOutputStream(out) {
            @Override
            public void close() throws IOException {
                flush(); // the caller's stream stays open
            }
        }, root);
        return counts;
    }

    @Override
    public Map<String, Integer> importState(InputStream in) throws IOException {
        JsonNode root;
        try {
            root = Mappers.json().readTree(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a state export: not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("not a state export: \"format\" is not \"" + FORMAT + "\"");
        }
        if (root.path("version").asInt() != 1) {
            throw new IllegalArgumentException("a state export of version " + root.path("version")
                    + ": this hub reads version 1");
        }
        // read and check all of it before writing anything
        Map<StateKind, Map<String, String>> documents = new LinkedHashMap<>();
        JsonNode docs = root.path("documents");
        for (Iterator<String> it = docs.fieldNames(); it.hasNext();) {
            String name = it.next();
            StateKind kind = DOCUMENTS.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("a state export cannot hold documents of kind " + name
                            + " (kinds: " + DOCUMENTS + ")"));
            Map<String, String> puts = new TreeMap<>();
            JsonNode byKey = docs.get(name);
            if (!byKey.isObject()) {
                throw new IllegalArgumentException("documents." + name + " is not an object of documents by key");
            }
            for (Iterator<Map.Entry<String, JsonNode>> f = byKey.fields(); f.hasNext();) {
                Map.Entry<String, JsonNode> e = f.next();
                if (!e.getValue().isObject()) {
                    throw new IllegalArgumentException("documents." + name + "." + e.getKey() + " is not an object");
                }
                check(kind, e.getKey(), e.getValue().toString());
                puts.put(e.getKey(), e.getValue().toString());
            }
            documents.put(kind, puts);
        }
        Map<RecordKind, List<Map.Entry<String, String>>> records = new LinkedHashMap<>();
        JsonNode recs = root.path("records");
        for (Iterator<String> it = recs.fieldNames(); it.hasNext();) {
            String name = it.next();
            RecordKind kind;
            try {
                kind = RecordKind.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a state export cannot hold records of kind " + name);
            }
            if (!recs.get(name).isArray()) {
                throw new IllegalArgumentException("records." + name + " is not a list");
            }
            List<Map.Entry<String, String>> list = new ArrayList<>();
            for (JsonNode r : recs.get(name)) {
                if (!r.path("key").isTextual() || !r.path("record").isObject()) {
                    throw new IllegalArgumentException("records." + name + " holds an entry without a key and a"
                            + " record object: " + r);
                }
                list.add(Map.entry(r.get("key").asText(), r.get("record").toString()));
            }
            records.put(kind, list);
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        documents.forEach((kind, puts) -> {
            store.write(kind, puts, Set.of()); // one transaction per kind
            counts.put(kind.name(), puts.size());
        });
        for (Map.Entry<RecordKind, List<Map.Entry<String, String>>> e : records.entrySet()) {
            // JSON values compare regardless of the order of their fields (PostgreSQL's jsonb keeps its own order)
            Set<Map.Entry<String, JsonNode>> have = new HashSet<>();
            for (Map.Entry<String, String> r : store.recordEntries(e.getKey(), Integer.MAX_VALUE)) {
                have.add(Map.entry(r.getKey(), tree(r.getValue(), "record")));
            }
            int added = 0;
            for (Map.Entry<String, String> r : e.getValue()) {
                if (have.add(Map.entry(r.getKey(), tree(r.getValue(), "record")))) {
                    store.append(e.getKey(), r.getKey(), r.getValue());
                    added++;
                }
            }
            counts.put(e.getKey().name(), added);
        }
        return counts;
    }

    /**
     * Reads a document as the hub will (the catalog's codec, the key, alias and pin records): a document that would be
     * skipped or break a copy on every hub of a fleet is refused here, before anything is written.
     */
    private static void check(StateKind kind, String key, String doc) {
        String where = "documents." + kind.name() + "." + key;
        try {
            switch (kind) {
                case CATALOG -> {
                    List<hub.api.ModelDescriptor> d = hub.core.internal.catalog.DescriptorCodec.read(
                            new java.io.ByteArrayInputStream(doc.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                            where, hub.api.Provenance.CUSTOM);
                    if (d.size() != 1 || !d.get(0).ref().toString().equals(key)) {
                        throw new IllegalArgumentException("describes " + d.stream().map(x -> x.ref().toString())
                                .toList() + ", not " + key);
                    }
                }
                case KEYS -> {
                    hub.core.internal.access.StateApiKeys.Stored s = Mappers.json().readValue(doc,
                            hub.core.internal.access.StateApiKeys.Stored.class);
                    if (!key.equals(s.id()) || s.sha256() == null || s.sha256().isBlank()) {
                        throw new IllegalArgumentException("not the record of key " + key + " with its hash");
                    }
                    hub.api.AccessTier.parse(s.tier());
                    Instant.parse(s.created());
                }
                case ALIASES -> {
                    JsonNode t = Mappers.json().readTree(doc);
                    hub.api.ModelRef.parse(t.path("model").asText());
                    hub.api.Device.parse(t.path("device").asText("auto"));
                }
                case PINS -> hub.api.ModelRef.parse(key);
                case MIRRORS -> hub.core.internal.store.MirrorCatalog.decode(key, doc);
                default -> throw new IllegalArgumentException("not a kind an export holds");
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode tree(String json, String what) {
        try {
            return Mappers.json().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("the stored " + what + " is not JSON: " + e.getMessage(), e);
        }
    }
}
