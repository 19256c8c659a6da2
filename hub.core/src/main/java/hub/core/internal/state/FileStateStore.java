package hub.core.internal.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hub.api.state.RecordKind;
import hub.api.state.StateKind;
import hub.api.state.StateStore;
import hub.api.state.StateUnavailableException;
import hub.core.internal.home.HubHome;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The shared state in the hub home, as it always was: custom catalog entries one JSON file each in
 * {@code catalog/NAME@VERSION.json}, aliases in {@code state/aliases.json}, API keys in {@code state/api-keys.json},
 * pins and live hubs in {@code state/pins.json} and {@code state/hubs.json}, records in
 * {@code state/records-KIND.jsonl}. Every file is written to a temporary name and renamed; writes by the processes of
 * one home are serialised by a lock file. Changes by other processes are noticed by looking at the files' times every
 * 250 ms while someone watches. The default store; {@code hub.state} with {@code store=postgresql} replaces it.
 */
@Component(service = StateStore.class, configurationPid = "hub.state",
        property = {"service.ranking:Integer=0", "store=files", FileStateStore.IMPLEMENTATION + "=files"})
public class FileStateStore implements StateStore {
    /** The service property naming a store's implementation: files, postgresql. */
    public static final String IMPLEMENTATION = "hub.state.implementation";
    /**
     * The store {@code hub.state} selects (its {@code store}, files by default), as a target filter: with
     * {@code store=postgresql} this store steps aside even while the PostgreSQL store is not there (the database
     * down at start, its bundle missing), so nothing is ever written to the home's files by mistake.
     */
    public static final String SELECTED = "(|(&(" + IMPLEMENTATION + "=files)(store=files))(&(" + IMPLEMENTATION
            + "=postgresql)(store=postgresql)))";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path catalog;
    private final Path state;
    private final List<Consumer<StateKind>> listeners = new CopyOnWriteArrayList<>();
    private final Map<StateKind, Long> stamps = new EnumMap<>(StateKind.class);
    private Thread watcher;
    private volatile boolean closed;

    /** @param home the hub home */
    @Activate
    public FileStateStore(@Reference HubHome home) {
        this(home.catalog(), home.state());
    }

    /**
     * @param catalog where catalog entries are, one file each
     * @param state where the other state files are
     */
    public FileStateStore(Path catalog, Path state) {
        this.catalog = catalog;
        this.state = state;
    }

    @Deactivate
    public void close() {
        closed = true;
        Thread w = watcher;
        if (w != null) {
            w.interrupt();
        }
    }

    @Override
    public String describe() {
        return "files in " + state.getParent();
    }

    // ---- documents ----

    @Override
    public Map<String, String> documents(StateKind kind) {
        try {
            if (kind == StateKind.CATALOG) {
                Map<String, String> out = new TreeMap<>();
                if (!Files.isDirectory(catalog)) {
                    return out;
                }
                try (Stream<Path> files = Files.list(catalog)) {
                    for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                        String name = f.getFileName().toString();
                        try {
                            out.put(name.substring(0, name.length() - 5), Files.readString(f, StandardCharsets.UTF_8));
                        } catch (java.nio.file.NoSuchFileException gone) {
                            // removed while listing
                        }
                    }
                }
                return Collections.unmodifiableMap(out);
            }
            return Collections.unmodifiableMap(readObject(kind));
        } catch (IOException e) {
            throw new StateUnavailableException("cannot read " + what(kind) + " in " + describe() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void write(StateKind kind, Map<String, String> puts, Set<String> removals) {
        if (puts.isEmpty() && removals.isEmpty()) {
            return;
        }
        for (String doc : puts.values()) {
            json(doc); // all checked before anything is written
        }
        try (FileLock lock = lock()) {
            if (kind == StateKind.CATALOG) {
                writeCatalog(puts, removals);
            } else {
                Map<String, String> docs = readObject(kind);
                removals.forEach(docs::remove);
                docs.putAll(puts);
                writeObject(kind, docs);
            }
        } catch (IOException e) {
            throw new StateUnavailableException("cannot write " + what(kind) + " in " + describe() + ": "
                    + e.getMessage(), e);
        }
        fire(kind); // this process's own watchers hear at once
    }

    @Override
    public Set<String> create(StateKind kind, Map<String, String> docs) {
        if (docs.isEmpty()) {
            return Set.of();
        }
        for (String doc : docs.values()) {
            json(doc);
        }
        Set<String> taken = new java.util.TreeSet<>();
        try (FileLock lock = lock()) { // the check and the write under one lock: no other process in between
            if (kind == StateKind.CATALOG) {
                for (String key : docs.keySet()) {
                    if (Files.exists(file(key))) {
                        taken.add(key);
                    }
                }
                if (taken.isEmpty()) {
                    writeCatalog(docs, Set.of());
                }
            } else {
                Map<String, String> all = readObject(kind);
                docs.keySet().stream().filter(all::containsKey).forEach(taken::add);
                if (taken.isEmpty()) {
                    all.putAll(docs);
                    writeObject(kind, all);
                }
            }
        } catch (IOException e) {
            throw new StateUnavailableException("cannot write " + what(kind) + " in " + describe() + ": "
                    + e.getMessage(), e);
        }
        if (taken.isEmpty()) {
            fire(kind);
        }
        return taken;
    }

    /** Entries written to temporary files first, then renamed; a failure removes what this write created. */
    private void writeCatalog(Map<String, String> puts, Set<String> removals) throws IOException {
        Files.createDirectories(catalog);
        List<Path> temps = new ArrayList<>();
        try {
            Map<Path, Path> moves = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : puts.entrySet()) {
                Path tmp = Files.createTempFile(catalog, ".entry", ".tmp");
                temps.add(tmp);
                Files.writeString(tmp, pretty(e.getValue()), StandardCharsets.UTF_8);
                moves.put(tmp, file(e.getKey()));
            }
            for (Map.Entry<Path, Path> m : moves.entrySet()) {
                move(m.getKey(), m.getValue());
            }
            for (String key : removals) {
                Files.deleteIfExists(file(key));
            }
        } finally {
            for (Path t : temps) {
                Files.deleteIfExists(t);
            }
        }
    }

    private Path file(String key) {
        if (key.contains("/") || key.contains("\\") || key.startsWith(".")) {
            throw new IllegalArgumentException("not a catalog key: '" + key + "'");
        }
        return catalog.resolve(key + ".json");
    }

    /** API keys are an array of records with an {@code id} (the file of earlier versions); the rest objects by key. */
    private Map<String, String> readObject(StateKind kind) throws IOException {
        Path f = objectFile(kind);
        Map<String, String> out = new TreeMap<>();
        if (!Files.isRegularFile(f)) {
            return out;
        }
        JsonNode root = JSON.readTree(f.toFile());
        if (root == null) {
            return out;
        }
        if (root.isArray()) {
            for (JsonNode n : root) {
                out.put(n.path("id").asText(), n.toString());
            }
        } else {
            root.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().toString()));
        }
        return out;
    }

    private void writeObject(StateKind kind, Map<String, String> docs) throws IOException {
        Path f = objectFile(kind);
        Files.createDirectories(f.getParent());
        JsonNode root;
        if (kind == StateKind.KEYS) {
            ArrayNode a = JSON.createArrayNode();
            docs.values().forEach(d -> a.add(json(d)));
            root = a;
        } else {
            ObjectNode o = JSON.createObjectNode();
            docs.forEach((k, d) -> o.set(k, json(d)));
            root = o;
        }
        Path tmp = Files.createTempFile(f.getParent(), "." + f.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root),
                    StandardCharsets.UTF_8);
            if (kind == StateKind.KEYS) {
                HubHome.ownerOnly(tmp);
            }
            move(tmp, f);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Path objectFile(StateKind kind) {
        return state.resolve(switch (kind) {
            case ALIASES -> "aliases.json";
            case KEYS -> "api-keys.json";
            case PINS -> "shared-pins.json"; // not pins.json: that is the cache's own pin file
            case HUBS -> "hubs.json";
            case SWITCHES -> "switches.json";
            case MIRRORS -> "mirrors.json";
            case CATALOG -> throw new IllegalStateException("the catalog is a directory");
        });
    }

    // ---- records ----

    @Override
    public void append(RecordKind kind, String key, String json) {
        ObjectNode line = JSON.createObjectNode();
        line.put("key", key);
        line.set("record", json(json));
        try (FileLock lock = lock()) {
            Files.createDirectories(state);
            Files.writeString(records(kind), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new StateUnavailableException("cannot append to " + records(kind) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> records(RecordKind kind, String key, int limit) {
        return entries(kind, key, limit).stream().map(Map.Entry::getValue).toList();
    }

    @Override
    public List<Map.Entry<String, String>> recordEntries(RecordKind kind, int limit) {
        return entries(kind, null, limit);
    }

    private List<Map.Entry<String, String>> entries(RecordKind kind, String key, int limit) {
        Path f = records(kind);
        if (!Files.isRegularFile(f)) {
            return List.of();
        }
        try {
            List<Map.Entry<String, String>> out = new ArrayList<>();
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    continue; // a torn last line from a killed process
                }
                // {"key", "record"}; a download line of an older home is the record itself, keyed by its model
                boolean wrapped = n.has("record") && n.has("key");
                String k = wrapped ? n.path("key").asText() : n.path("model").asText();
                if (key == null || key.equals(k)) {
                    out.add(Map.entry(k, (wrapped ? n.path("record") : n).toString()));
                }
            }
            return List.copyOf(out.subList(Math.max(0, out.size() - Math.max(0, limit)), out.size()));
        } catch (IOException e) {
            throw new StateUnavailableException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    private Path records(RecordKind kind) {
        if (kind == RecordKind.DOWNLOADS) {
            return state.resolve("downloads.jsonl"); // where homes have always kept them
        }
        return state.resolve("records-" + kind.name().toLowerCase(Locale.ROOT).replace('_', '-') + ".jsonl");
    }

    // ---- notifications ----

    @Override
    public synchronized AutoCloseable watch(Consumer<StateKind> listener) {
        listeners.add(listener);
        if (watcher == null) {
            for (StateKind k : StateKind.values()) {
                stamps.put(k, stamp(k));
            }
            watcher = new Thread(this::poll, "hub-state-files");
            watcher.setDaemon(true);
            watcher.start();
        }
        return () -> listeners.remove(listener);
    }

    @Override
    public long version(StateKind kind) {
        return stamp(kind);
    }

    /** Another process's writes show as new file times (a renamed file changes its directory's time too). */
    private void poll() {
        while (!closed) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
            for (StateKind k : StateKind.values()) {
                long now = stamp(k);
                Long before = stamps.put(k, now);
                if (before != null && before != now) {
                    fire(k);
                }
            }
        }
    }

    private long stamp(StateKind kind) {
        try {
            Path p = kind == StateKind.CATALOG ? catalog : objectFile(kind);
            if (!Files.exists(p)) {
                return 0;
            }
            var a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
            // a new inode on each atomic write, time and size: what changes when a file is replaced
            return java.util.Objects.hash(String.valueOf(a.fileKey()), a.lastModifiedTime().toMillis(), a.size())
                    & 0x7fffffffL;
        } catch (IOException e) {
            return -1;
        }
    }

    private void fire(StateKind kind) {
        for (Consumer<StateKind> l : listeners) {
            l.accept(kind);
        }
    }

    // ---- plumbing ----

    /**
     * The lock file serialises processes; a file lock is held by the whole JVM, though, and a second thread asking
     * for it gets OverlappingFileLockException instead of waiting, so the threads of this JVM (several store objects
     * included) queue on one in-process lock per lock file first. Static on purpose: it mirrors the JVM-wide scope of
     * file locks.
     */
    private static final Map<Path, java.util.concurrent.locks.ReentrantLock> IN_PROCESS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private FileLock lock() throws IOException {
        Files.createDirectories(state);
        Path file = state.resolve(".state.lock").toAbsolutePath().normalize();
        java.util.concurrent.locks.ReentrantLock mine = IN_PROCESS.computeIfAbsent(file,
                f -> new java.util.concurrent.locks.ReentrantLock());
        mine.lock();
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.lock();
            FileChannel channel = ch;
            return new FileLock(ch, 0, Long.MAX_VALUE, false) {
                @Override
                public boolean isValid() {
                    return l.isValid();
                }

                @Override
                public void release() throws IOException {
                    try {
                        l.release();
                        channel.close();
                    } finally {
                        mine.unlock();
                    }
                }
            };
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            mine.unlock();
            throw e;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static JsonNode json(String doc) {
        try {
            return JSON.readTree(doc);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    private static String pretty(String doc) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json(doc));
    }

    private static String what(StateKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
