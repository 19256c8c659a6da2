package hub.shell.internal.commands;

import hub.api.HubException;
import hub.api.embedding.EmbeddingModelInfo;
import hub.api.embedding.EmbeddingResult;
import hub.api.embedding.EmbeddingServiceInfo;
import hub.api.embedding.IndexEntry;
import hub.api.embedding.IndexMatch;
import hub.api.inference.InferenceResult;
import hub.api.inference.Task;
import hub.api.inference.TaskOptions;
import hub.api.task.Embedding;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import hub.core.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Embedding commands: embed through the request path, list services from the embedding registry, keep vectors in
 * the vector index.
 */
final class EmbeddingCommands {
    private EmbeddingCommands() {
    }

    /** The options of commands that embed: service and model. */
    abstract static class EmbedCmd extends JsonCmd {
        @Option(names = {"-s", "--service"}, paramLabel = "SERVICE", description = "embedding service id (default: the first registered)")
        String service;
        @Option(names = {"-m", "--model"}, paramLabel = "NAME[@VERSION]", completionCandidates = Candidates.Models.class,
                description = "model (default: the service's, or the collection's)")
        String model;

        EmbedCmd(Ctx ctx) {
            super(ctx);
        }

        /**
         * The service and model for a collection: as given, else the model its entries were made with (and the
         * service that offers it), so that a query lands in the same vector space.
         */
        String[] forCollection(String collection) {
            String m = blank(model);
            if (m == null) {
                m = s.index().get().entries(collection).stream().map(IndexEntry::model).filter(x -> x != null).findFirst()
                        .orElse(null);
            }
            String sv = blank(service);
            if (sv == null && m != null) {
                String wanted = m;
                sv = s.embeddings().get().services().stream()
                        .filter(i -> i.models().stream().map(EmbeddingModelInfo::model).anyMatch(wanted::equals))
                        .map(EmbeddingServiceInfo::id).findFirst().orElse(null);
            }
            if (sv == null && m != null && s.embeddings().get().services().size() > 1) {
                throw new HubException("which embedding service makes " + m + "? name it with --service");
            }
            return new String[] {sv, m};
        }
    }

    @Command(name = "embed", description = "One vector per image from an embedding service.")
    static final class Embed extends EmbedCmd {
        @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "image files")
        List<Path> images;
        @Option(names = {"-b", "--batch"}, paramLabel = "N", defaultValue = "0", description = "images per inference run (default: the service's)")
        int batch;

        Embed(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() throws IOException {
            List<ImageInput> inputs = read(images);
            InferenceResult<Embedding> result = progress(() -> s.inference().get().run(caller(), Task.EMBED,
                    blank(model), inputs,
                    TaskOptions.DEFAULT.withService(blank(service), batch)));
            long failed = result.results().stream().filter(r -> r.error() != null).count();
            if (failed > 0) {
                session.err().println("hub: " + failed + " of " + result.results().size() + " images failed");
            }
            if (json) {
                return Json.write(result);
            }
            List<List<String>> rows = new ArrayList<>();
            for (EmbeddingResult r : flat(result)) {
                rows.add(r.error() != null ? List.of(r.source(), r.model(), "-", "error: " + r.error())
                        : List.of(r.source(), r.model(), String.valueOf(r.dimension()), head(r.vector())));
            }
            return Format.table(List.of("IMAGE", "MODEL", "DIM", "VECTOR"), rows);
        }
    }

    @Command(name = "embedders", description = "The embedding services: bundle, health, default model, models.")
    static final class Embedders extends JsonCmd {

        Embedders(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            List<EmbeddingServiceInfo> services = s.embeddings().get().services();
            if (json) {
                return Json.write(services);
            }
            if (services.isEmpty()) {
                return "no embedding services registered";
            }
            List<List<String>> rows = new ArrayList<>();
            for (EmbeddingServiceInfo i : services) {
                rows.add(List.of(i.id(), i.bundle(), i.health().healthy() ? "healthy" : "UNHEALTHY", i.defaultModel(),
                        String.valueOf(i.models().size()), i.metadata().description()));
            }
            StringBuilder out = new StringBuilder(Format.table(List.of("SERVICE", "BUNDLE", "HEALTH", "DEFAULT MODEL",
                    "MODELS", "DESCRIPTION"), rows));
            for (EmbeddingServiceInfo i : services) {
                out.append('\n').append(i.id()).append(": ").append(i.health().reason()).append('\n');
                List<List<String>> models = new ArrayList<>();
                for (EmbeddingModelInfo m : i.models()) {
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
    }

    @Command(name = "index", description = "Named vector collections in the hub home.", subcommands = {
        IndexAdd.class, IndexRemove.class, IndexList.class, Search.class, IndexDrop.class})
    static final class Index extends Group {
    }

    @Command(name = "add", description = "Embed images and store them in a collection (id: the file name).")
    static final class IndexAdd extends EmbedCmd {
        @Parameters(index = "0", paramLabel = "COLLECTION", description = "the collection (created when new)")
        String collection;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "image files")
        List<Path> images;
        @Option(names = "--id", paramLabel = "ID", description = "the entry's id (one image only)")
        String id;

        IndexAdd(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() throws IOException {
            if (id != null && images.size() > 1) {
                throw new IllegalArgumentException("--id names one entry; " + images.size() + " images given");
            }
            String[] chosen = forCollection(collection);
            List<ImageInput> inputs = read(images);
            List<EmbeddingResult> results = flat(progress(() -> s.inference().get().run(caller(), Task.EMBED,
                    chosen[1], inputs,
                    TaskOptions.DEFAULT.withService(chosen[0], 0))));
            List<Map<String, Object>> done = new ArrayList<>();
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                EmbeddingResult r = results.get(i);
                String entry = id != null ? id : images.get(i).getFileName().toString();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", entry);
                row.put("source", images.get(i).toString());
                if (r.error() == null) {
                    s.index().get().add(collection, new IndexEntry(entry, r.model(), r.vector(),
                            session.path(images.get(i).toString()).toString()));
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
            return json ? Json.write(done)
                    : Format.table(List.of("ID", "MODEL", collection.toUpperCase(Locale.ROOT)), rows);
        }
    }

    @Command(name = "rm", aliases = "remove", description = "Remove entries from a collection.")
    static final class IndexRemove extends JsonCmd {
        @Parameters(index = "0", paramLabel = "COLLECTION", description = "the collection")
        String collection;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "ID", description = "entry ids")
        List<String> ids;

        IndexRemove(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            List<String> removed = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String i : ids) {
                (s.index().get().remove(collection, i) ? removed : missing).add(i);
            }
            if (json) {
                return Json.write(Map.of("removed", removed, "missing", missing));
            }
            if (removed.isEmpty()) {
                throw new IllegalArgumentException("no such entries in '" + collection + "': " + String.join(", ", missing));
            }
            return "removed " + String.join(", ", removed)
                    + (missing.isEmpty() ? "" : "; not found: " + String.join(", ", missing));
        }
    }

    @Command(name = "list", aliases = "ls", description = "The collections, or the entries of one.")
    static final class IndexList extends JsonCmd {
        @Parameters(paramLabel = "COLLECTION", arity = "0..1", description = "the collection")
        String collection;

        IndexList(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            if (collection == null) {
                List<Map<String, Object>> out = new ArrayList<>();
                List<List<String>> rows = new ArrayList<>();
                for (String c : s.index().get().collections()) {
                    List<IndexEntry> entries = s.index().get().entries(c);
                    String dim = entries.isEmpty() ? "-" : String.valueOf(entries.get(0).vector().length);
                    String m = entries.isEmpty() || entries.get(0).model() == null ? "-" : entries.get(0).model();
                    out.add(Map.of("collection", c, "entries", entries.size(), "model", m));
                    rows.add(List.of(c, String.valueOf(entries.size()), dim, m));
                }
                return json ? Json.write(out) : rows.isEmpty() ? "no collections"
                        : Format.table(List.of("COLLECTION", "ENTRIES", "DIM", "MODEL"), rows);
            }
            List<IndexEntry> entries = s.index().get().entries(collection);
            if (json) {
                return Json.write(entries.stream().map(e -> Map.of("id", e.id(), "model", String.valueOf(e.model()),
                        "source", String.valueOf(e.source()))).toList());
            }
            List<List<String>> rows = new ArrayList<>();
            for (IndexEntry e : entries) {
                rows.add(List.of(e.id(), String.valueOf(e.model()), e.source() == null ? "-" : e.source()));
            }
            return rows.isEmpty() ? "collection '" + collection + "' is empty or absent"
                    : Format.table(List.of("ID", "MODEL", "SOURCE"), rows);
        }
    }

    @Command(name = "drop", description = "Remove a collection.")
    static final class IndexDrop extends Cmd {
        @Parameters(paramLabel = "COLLECTION", description = "the collection")
        String collection;

        IndexDrop(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            return s.index().get().drop(collection) ? "dropped " + collection : "no collection '" + collection + "'";
        }
    }

    @Command(name = "search", description = "The stored images nearest by cosine, with the collection's own model unless told otherwise.")
    static final class Search extends EmbedCmd {
        @Parameters(index = "0", paramLabel = "COLLECTION", description = "the collection")
        String collection;
        @Parameters(index = "1", paramLabel = "IMAGE", description = "the query image")
        Path image;
        @Option(names = {"-k", "--top"}, paramLabel = "K", defaultValue = "5", description = "matches to show (default: ${DEFAULT-VALUE})")
        int top;

        Search(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() throws IOException {
            if (!s.index().get().collections().contains(collection)) {
                throw new IllegalArgumentException("no collection '" + collection + "' (collections: "
                        + (s.index().get().collections().isEmpty() ? "none" : String.join(", ", s.index().get().collections())) + ")");
            }
            String[] chosen = forCollection(collection);
            List<ImageInput> query = read(List.of(image));
            EmbeddingResult q = flat(progress(() -> s.inference().get().run(caller(), Task.EMBED, chosen[1],
                    query,
                    TaskOptions.DEFAULT.withService(chosen[0], 0)))).get(0);
            if (q.error() != null) {
                throw new IllegalArgumentException(image + ": " + q.error());
            }
            List<IndexMatch> matches = s.index().get().search(collection, q.vector(), top);
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
            return rows.isEmpty() ? "no matches" : Format.table(List.of("MATCH", "COSINE", "SOURCE"), rows);
        }
    }

    static String head(float[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < Math.min(4, v.length); i++) {
            b.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", v[i]));
        }
        return b.append(v.length > 4 ? ", ...]" : "]").toString();
    }

    /** One row per image, for the tables and the index. */
    static List<EmbeddingResult> flat(InferenceResult<Embedding> result) {
        List<EmbeddingResult> out = new ArrayList<>();
        for (ImageResult<Embedding> r : result.results()) {
            out.add(r.error() != null ? EmbeddingResult.failed(r.source(), result.model().toString(), r.error())
                    : EmbeddingResult.ok(r.source(), r.value().model(), r.value().vector()));
        }
        return out;
    }
}
