package hub.core.internal.shell;

import hub.api.HubException;
import hub.api.embedding.EmbeddingModelInfo;
import hub.api.embedding.EmbeddingRegistry;
import hub.api.embedding.EmbeddingResult;
import hub.api.embedding.EmbeddingServiceInfo;
import hub.api.embedding.IndexEntry;
import hub.api.embedding.IndexMatch;
import hub.api.embedding.VectorIndex;
import hub.api.access.Caller;
import hub.api.inference.Inference;
import hub.api.inference.InferenceResult;
import hub.api.inference.Task;
import hub.api.inference.TaskOptions;
import hub.api.task.Embedding;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import hub.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Embedding commands: {@code embed}, {@code embedders}, {@code index add|rm|list|search|drop} and {@code search}
 * (short for {@code index search}). They embed through the hub's request path, list services from the embedding
 * registry, keep vectors in the vector index, and format what they return.
 */
@Component(service = EmbeddingCommands.class, immediate = true, property = {"osgi.command.scope=hub",
        "osgi.command.function=embed", "osgi.command.function=embedders", "osgi.command.function=index",
        "osgi.command.function=search"})
public class EmbeddingCommands {
    private static final String ABSENT = "";
    private final EmbeddingRegistry embeddings;
    private final VectorIndex index;
    private final Inference inference;

    /**
     * @param embeddings the embedding services
     * @param index the vector collections
     * @param inference the request path
     */
    @Activate
    public EmbeddingCommands(@Reference EmbeddingRegistry embeddings, @Reference VectorIndex index,
            @Reference Inference inference) {
        this.embeddings = embeddings;
        this.index = index;
        this.inference = inference;
    }

    /**
     * @param session working directory
     * @param service embedding service id
     * @param model model reference
     * @param batch images per inference run
     * @param json JSON output (vectors included)
     * @param images image files
     * @return one line (or JSON object) per image
     * @throws IOException when a file cannot be read
     */
    @Descriptor("embed images into vectors (service: --service, else the first registered; model: its default)")
    public String embed(CommandSession session,
            @Descriptor("embedding service id") @Parameter(names = {"-s", "--service"}, absentValue = ABSENT) String service,
            @Descriptor("model NAME[@VERSION]") @Parameter(names = {"-m", "--model"}, absentValue = ABSENT) String model,
            @Descriptor("images per inference run") @Parameter(names = {"-b", "--batch"}, absentValue = "0") int batch,
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("image files") String... images) throws IOException {
        InferenceResult<Embedding> result = inference.run(Caller.owner(), Task.EMBED, blank(model),
                TaskCommands.read(session, images), TaskOptions.DEFAULT.withService(blank(service), batch));
        if (json) {
            return Json.write(result);
        }
        List<EmbeddingResult> results = flat(result);
        List<List<String>> rows = new ArrayList<>();
        for (EmbeddingResult r : results) {
            rows.add(r.error() != null ? List.of(r.source(), r.model(), "-", "error: " + r.error())
                    : List.of(r.source(), r.model(), String.valueOf(r.dimension()), head(r.vector())));
        }
        return Format.table(List.of("IMAGE", "MODEL", "DIM", "VECTOR"), rows);
    }

    /**
     * @param json JSON output
     * @return the registered embedding services, their health and models
     */
    @Descriptor("list the embedding services, their health and models")
    public String embedders(
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json) {
        List<EmbeddingServiceInfo> services = embeddings.services();
        if (json) {
            return Json.write(services);
        }
        if (services.isEmpty()) {
            return "no embedding services registered";
        }
        List<List<String>> rows = new ArrayList<>();
        for (EmbeddingServiceInfo s : services) {
            rows.add(List.of(s.id(), s.bundle(), s.health().healthy() ? "healthy" : "UNHEALTHY", s.defaultModel(),
                    String.valueOf(s.models().size()), s.metadata().description()));
        }
        StringBuilder out = new StringBuilder(Format.table(List.of("SERVICE", "BUNDLE", "HEALTH", "DEFAULT MODEL",
                "MODELS", "DESCRIPTION"), rows));
        for (EmbeddingServiceInfo s : services) {
            out.append('\n').append(s.id()).append(": ").append(s.health().reason()).append('\n');
            List<List<String>> models = new ArrayList<>();
            for (EmbeddingModelInfo m : s.models()) {
                models.add(List.of("  " + m.model(), m.dimension() > 0 ? String.valueOf(m.dimension()) : "?",
                        m.inputSize() > 0 ? String.valueOf(m.inputSize()) : "?", Format.bytes(m.memoryEstimateBytes()),
                        "*".repeat(Math.max(1, m.performance())), m.recommendedUse()));
            }
            if (!models.isEmpty()) {
                out.append(Format.table(List.of("  MODEL", "DIM", "INPUT", "MEMORY", "SPEED", "USE"), models));
            }
        }
        return out.toString().stripTrailing();
    }

    /**
     * @param session working directory
     * @param service embedding service id
     * @param model model reference
     * @param id entry id (one image only; default: the file name)
     * @param top how many matches
     * @param json JSON output
     * @param args {@code add COLLECTION IMAGE...}, {@code rm COLLECTION ID...}, {@code list [COLLECTION]},
     *        {@code search COLLECTION IMAGE}, {@code drop COLLECTION}
     * @return what the operation did or found
     * @throws IOException when a file cannot be read
     */
    @Descriptor("vector collections: add COLLECTION IMAGE... | rm COLLECTION ID... | list [COLLECTION] | search COLLECTION IMAGE | drop COLLECTION")
    public String index(CommandSession session,
            @Descriptor("embedding service id") @Parameter(names = {"-s", "--service"}, absentValue = ABSENT) String service,
            @Descriptor("model NAME[@VERSION]") @Parameter(names = {"-m", "--model"}, absentValue = ABSENT) String model,
            @Descriptor("entry id (one image)") @Parameter(names = {"--id"}, absentValue = ABSENT) String id,
            @Descriptor("matches to show") @Parameter(names = {"-k", "--top"}, absentValue = "5") int top,
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("operation and its arguments") String... args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("index: add, rm, list, search or drop expected");
        }
        String op = args[0].toLowerCase(Locale.ROOT);
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        return switch (op) {
            case "add" -> add(session, service, model, id, json, rest);
            case "rm", "remove" -> remove(json, rest);
            case "list", "ls" -> list(json, rest);
            case "search" -> search(session, service, model, top, json, rest);
            case "drop" -> {
                need(rest, 1, "index drop COLLECTION");
                yield index.drop(rest.get(0)) ? "dropped " + rest.get(0) : "no collection '" + rest.get(0) + "'";
            }
            default -> throw new IllegalArgumentException("index: unknown operation '" + args[0]
                    + "' (add, rm, list, search, drop)");
        };
    }

    /**
     * @param session working directory
     * @param service embedding service id
     * @param model model reference
     * @param top how many matches
     * @param json JSON output
     * @param args COLLECTION IMAGE
     * @return the nearest entries
     * @throws IOException when the image cannot be read
     */
    @Descriptor("the stored images most like this one: search COLLECTION IMAGE (same as index search)")
    public String search(CommandSession session,
            @Descriptor("embedding service id") @Parameter(names = {"-s", "--service"}, absentValue = ABSENT) String service,
            @Descriptor("model NAME[@VERSION]") @Parameter(names = {"-m", "--model"}, absentValue = ABSENT) String model,
            @Descriptor("matches to show") @Parameter(names = {"-k", "--top"}, absentValue = "5") int top,
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("COLLECTION IMAGE") String... args) throws IOException {
        return search(session, service, model, top, json, Arrays.asList(args));
    }

    private String add(CommandSession session, String service, String model, String id, boolean json, List<String> rest)
            throws IOException {
        need(rest, 2, "index add COLLECTION IMAGE...");
        String collection = rest.get(0);
        List<String> files = rest.subList(1, rest.size());
        if (!id.isEmpty() && files.size() > 1) {
            throw new IllegalArgumentException("--id names one entry; " + files.size() + " images given");
        }
        String[] chosen = forCollection(collection, service, model);
        List<ImageInput> images = TaskCommands.read(session, files.toArray(String[]::new));
        List<EmbeddingResult> results = flat(inference.run(Caller.owner(), Task.EMBED, chosen[1], images,
                TaskOptions.DEFAULT.withService(chosen[0], 0)));
        List<Map<String, Object>> done = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            EmbeddingResult r = results.get(i);
            String entry = !id.isEmpty() ? id : java.nio.file.Path.of(files.get(i)).getFileName().toString();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", entry);
            row.put("source", files.get(i));
            if (r.error() == null) {
                index.add(collection, new IndexEntry(entry, r.model(), r.vector(),
                        TaskCommands.path(session, files.get(i)).toString()));
                row.put("model", r.model());
                rows.add(List.of(entry, r.model(), "added"));
            } else {
                row.put("error", r.error());
                rows.add(List.of(entry, r.model(), "error: " + r.error()));
            }
            done.add(row);
        }
        if (done.stream().noneMatch(r -> r.containsKey("model"))) {
            throw new IllegalArgumentException("nothing added to '" + collection + "': " + results.get(0).error());
        }
        return json ? Json.write(done) : Format.table(List.of("ID", "MODEL", collection.toUpperCase(Locale.ROOT)), rows);
    }

    private String remove(boolean json, List<String> rest) {
        need(rest, 2, "index rm COLLECTION ID...");
        List<String> removed = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : rest.subList(1, rest.size())) {
            (index.remove(rest.get(0), id) ? removed : missing).add(id);
        }
        if (json) {
            return Json.write(Map.of("removed", removed, "missing", missing));
        }
        if (removed.isEmpty()) {
            throw new IllegalArgumentException("no such entries in '" + rest.get(0) + "': " + String.join(", ", missing));
        }
        return "removed " + String.join(", ", removed) + (missing.isEmpty() ? "" : "; not found: " + String.join(", ", missing));
    }

    private String list(boolean json, List<String> rest) {
        if (rest.isEmpty()) {
            List<Map<String, Object>> out = new ArrayList<>();
            List<List<String>> rows = new ArrayList<>();
            for (String c : index.collections()) {
                List<IndexEntry> entries = index.entries(c);
                String dim = entries.isEmpty() ? "-" : String.valueOf(entries.get(0).vector().length);
                String model = entries.isEmpty() || entries.get(0).model() == null ? "-" : entries.get(0).model();
                out.add(Map.of("collection", c, "entries", entries.size(), "model", model));
                rows.add(List.of(c, String.valueOf(entries.size()), dim, model));
            }
            return json ? Json.write(out) : rows.isEmpty() ? "no collections"
                    : Format.table(List.of("COLLECTION", "ENTRIES", "DIM", "MODEL"), rows);
        }
        List<IndexEntry> entries = index.entries(rest.get(0));
        if (json) {
            return Json.write(entries.stream().map(e -> Map.of("id", e.id(), "model", String.valueOf(e.model()),
                    "source", String.valueOf(e.source()))).toList());
        }
        List<List<String>> rows = new ArrayList<>();
        for (IndexEntry e : entries) {
            rows.add(List.of(e.id(), String.valueOf(e.model()), e.source() == null ? "-" : e.source()));
        }
        return rows.isEmpty() ? "collection '" + rest.get(0) + "' is empty or absent"
                : Format.table(List.of("ID", "MODEL", "SOURCE"), rows);
    }

    private String search(CommandSession session, String service, String model, int top, boolean json, List<String> rest)
            throws IOException {
        need(rest, 2, "search COLLECTION IMAGE");
        if (rest.size() > 2) {
            throw new IllegalArgumentException("search takes one image; " + (rest.size() - 1) + " given");
        }
        String collection = rest.get(0);
        if (!index.collections().contains(collection)) {
            throw new IllegalArgumentException("no collection '" + collection + "' (collections: "
                    + (index.collections().isEmpty() ? "none" : String.join(", ", index.collections())) + ")");
        }
        String[] chosen = forCollection(collection, service, model);
        EmbeddingResult q = flat(inference.run(Caller.owner(), Task.EMBED, chosen[1],
                TaskCommands.read(session, rest.get(1)), TaskOptions.DEFAULT.withService(chosen[0], 0))).get(0);
        if (q.error() != null) {
            throw new IllegalArgumentException(rest.get(1) + ": " + q.error());
        }
        List<IndexMatch> matches = index.search(collection, q.vector(), top);
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("collection", collection);
            doc.put("model", q.model());
            doc.put("matches", matches);
            return Json.write(doc);
        }
        List<List<String>> rows = new ArrayList<>();
        for (IndexMatch m : matches) {
            rows.add(List.of(m.id(), String.format(Locale.ROOT, "%.4f", m.score()), m.source() == null ? "-" : m.source()));
        }
        return Format.table(List.of("MATCH", "COSINE", "SOURCE"), rows);
    }

    /**
     * The service and model for a collection: as given, else the model its entries were made with (and the service
     * that offers it), so that a query lands in the same vector space.
     */
    private String[] forCollection(String collection, String service, String model) {
        String m = blank(model);
        if (m == null) {
            m = index.entries(collection).stream().map(IndexEntry::model).filter(x -> x != null).findFirst().orElse(null);
        }
        String s = blank(service);
        if (s == null && m != null) {
            String wanted = m;
            s = embeddings.services().stream()
                    .filter(i -> i.models().stream().map(EmbeddingModelInfo::model).anyMatch(wanted::equals))
                    .map(EmbeddingServiceInfo::id).findFirst().orElse(null);
        }
        if (s == null && m != null && embeddings.services().size() > 1) {
            throw new HubException("which embedding service makes " + m + "? name it with --service");
        }
        return new String[] {s, m};
    }

    private static void need(List<String> args, int n, String usage) {
        if (args.size() < n) {
            throw new IllegalArgumentException("usage: " + usage);
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String head(float[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < Math.min(4, v.length); i++) {
            b.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", v[i]));
        }
        return b.append(v.length > 4 ? ", ...]" : "]").toString();
    }

    /** One row per image, for the tables and the index. */
    private static List<EmbeddingResult> flat(InferenceResult<Embedding> result) {
        List<EmbeddingResult> out = new ArrayList<>();
        for (ImageResult<Embedding> r : result.results()) {
            out.add(r.error() != null ? EmbeddingResult.failed(r.source(), result.model().toString(), r.error())
                    : EmbeddingResult.ok(r.source(), r.value().model(), r.value().vector()));
        }
        return out;
    }
}
