package hub.core.internal.index;

import hub.api.embedding.IndexEntry;
import hub.api.embedding.IndexMatch;
import hub.api.embedding.VectorIndex;
import hub.core.internal.home.HubHome;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Vector collections in the hub home ({@code index/NAME.vec}): each one a small binary file (magic, dimension, then
 * per entry id, model, source and the L2-normalised vector), read once and rewritten atomically on every change, so
 * a crash leaves either the old or the new file. Search is an exact scan by cosine similarity, which stays in the
 * milliseconds up to some hundred thousand vectors.
 */
@Component(service = VectorIndex.class)
public class FileVectorIndex implements VectorIndex {
    private static final int MAGIC = 0x48564543; // "HVEC"
    private static final int FORMAT = 1;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private record Collection(int dimension, Map<String, IndexEntry> entries) {
    }

    private final Path dir;
    private final Map<String, Collection> loaded = new ConcurrentHashMap<>();

    /**
     * @param home the hub home
     */
    @Activate
    public FileVectorIndex(@Reference HubHome home) {
        this(home.index());
    }

    /**
     * @param dir where collections are kept
     * @return an index on that directory (tests and tools)
     */
    public static FileVectorIndex in(Path dir) {
        return new FileVectorIndex(dir);
    }

    private FileVectorIndex(Path dir) {
        this.dir = dir;
    }

    @Override
    public List<String> collections() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".vec"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String check(String collection) {
        if (collection == null || !NAME.matcher(collection).matches()) {
            throw new IllegalArgumentException("bad collection name '" + collection
                    + "' (letters, digits, '.', '_' and '-', at most 64, not starting with a dot or dash)");
        }
        return collection;
    }

    private Path file(String collection) {
        return dir.resolve(collection + ".vec");
    }

    private synchronized Collection collection(String name) {
        Collection c = loaded.get(name);
        if (c == null) {
            c = read(file(name));
            if (c != null) {
                loaded.put(name, c);
            }
        }
        return c;
    }

    @Override
    public synchronized void add(String collection, IndexEntry entry) {
        check(collection);
        if (entry.id() == null || entry.id().isBlank()) {
            throw new IllegalArgumentException("an index entry needs an id");
        }
        if (entry.vector() == null || entry.vector().length == 0) {
            throw new IllegalArgumentException("entry '" + entry.id() + "' has no vector");
        }
        Collection c = collection(collection);
        if (c != null && c.dimension() != entry.vector().length) {
            throw new IllegalArgumentException("collection '" + collection + "' holds " + c.dimension()
                    + "-d vectors; '" + entry.id() + "' is " + entry.vector().length + "-d (another model?)");
        }
        Map<String, IndexEntry> entries = new LinkedHashMap<>(c == null ? Map.of() : c.entries());
        entries.put(entry.id(), new IndexEntry(entry.id(), entry.model(), normalised(entry.vector()), entry.source()));
        Collection next = new Collection(entry.vector().length, entries);
        write(collection, next);
        loaded.put(collection, next);
    }

    @Override
    public synchronized boolean remove(String collection, String id) {
        Collection c = collection(check(collection));
        if (c == null || !c.entries().containsKey(id)) {
            return false;
        }
        Map<String, IndexEntry> entries = new LinkedHashMap<>(c.entries());
        entries.remove(id);
        Collection next = new Collection(c.dimension(), entries);
        write(collection, next);
        loaded.put(collection, next);
        return true;
    }

    @Override
    public List<IndexEntry> entries(String collection) {
        Collection c = collection(check(collection));
        return c == null ? List.of() : List.copyOf(c.entries().values());
    }

    @Override
    public List<IndexMatch> search(String collection, float[] query, int k) {
        Collection c = collection(check(collection));
        if (c == null) {
            throw new IllegalArgumentException("no collection '" + collection + "' (collections: "
                    + (collections().isEmpty() ? "none" : String.join(", ", collections())) + ")");
        }
        if (query.length != c.dimension()) {
            throw new IllegalArgumentException("collection '" + collection + "' holds " + c.dimension()
                    + "-d vectors; the query is " + query.length + "-d (another model?)");
        }
        float[] q = normalised(query);
        int want = Math.max(1, k);
        PriorityQueue<IndexMatch> best = new PriorityQueue<>(Comparator.comparingDouble(IndexMatch::score));
        for (IndexEntry e : c.entries().values()) {
            float score = dot(q, e.vector());
            if (best.size() < want) {
                best.add(new IndexMatch(e.id(), score, e.source()));
            } else if (score > best.peek().score()) {
                best.poll();
                best.add(new IndexMatch(e.id(), score, e.source()));
            }
        }
        List<IndexMatch> out = new ArrayList<>(best);
        out.sort(Comparator.comparingDouble(IndexMatch::score).reversed());
        return out;
    }

    @Override
    public synchronized boolean drop(String collection) {
        loaded.remove(check(collection));
        try {
            return Files.deleteIfExists(file(collection));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file(collection), e);
        }
    }

    private static float dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return (float) s;
    }

    private static float[] normalised(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float inv = n == 0 ? 0 : (float) (1 / Math.sqrt(n));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inv;
        }
        return out;
    }

    private void write(String collection, Collection c) {
        Path target = file(collection);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + collection, ".tmp");
            try {
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                    out.writeInt(MAGIC);
                    out.writeInt(FORMAT);
                    out.writeInt(c.dimension());
                    out.writeInt(c.entries().size());
                    for (IndexEntry e : c.entries().values()) {
                        out.writeUTF(e.id());
                        out.writeUTF(e.model() == null ? "" : e.model());
                        out.writeUTF(e.source() == null ? "" : e.source());
                        for (float x : e.vector()) {
                            out.writeFloat(x);
                        }
                    }
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write collection '" + collection + "' to " + target, e);
        }
    }

    private static Collection read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                throw new IllegalStateException(file + " is not a vector collection of this hub's format");
            }
            int dim = in.readInt();
            int n = in.readInt();
            if (dim <= 0 || n < 0) {
                throw new IllegalStateException(file + " is damaged (dimension " + dim + ", " + n + " entries)");
            }
            Map<String, IndexEntry> entries = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String id = in.readUTF();
                String model = in.readUTF();
                String source = in.readUTF();
                float[] v = new float[dim];
                for (int j = 0; j < dim; j++) {
                    v[j] = in.readFloat();
                }
                entries.put(id, new IndexEntry(id, model.isEmpty() ? null : model, v, source.isEmpty() ? null : source));
            }
            return new Collection(dim, entries);
        } catch (IOException e) {
            throw new IllegalStateException(file + " is damaged or truncated: " + e, e);
        }
    }
}
