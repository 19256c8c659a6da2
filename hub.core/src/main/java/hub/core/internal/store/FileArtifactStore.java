package hub.core.internal.store;

import hub.core.internal.Mappers;
import com.fasterxml.jackson.core.type.TypeReference;
import hub.api.ArtifactCheck;
import hub.api.ArtifactException;
import hub.api.ArtifactSpec;
import hub.api.ArtifactStore;
import hub.api.CacheEntry;
import hub.api.CacheInfo;
import hub.api.Checksum;
import hub.api.ChecksumService;
import hub.api.CleanupReport;
import hub.api.DownloadRecord;
import hub.api.HubEvents;
import hub.api.LocalModel;
import hub.api.ModelDescriptor;
import hub.api.ModelNotFoundException;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import hub.api.ModelStatus;
import hub.api.ModelsMissingException;
import hub.api.ProgressListener;
import hub.api.PullOptions;
import hub.api.ValidationReport;
import hub.api.VerificationLevel;
import hub.core.internal.home.HubHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The disk cache: {@code <cache>/<name>/<version>/<file>}. Transfers run as {@link DownloadJob}s (one per artifact
 * however many callers in this process; a file lock for other processes), files are published by atomic rename
 * after verification, and the cache stays under its size limit by evicting the least recently used versions that
 * nothing pins.
 */
@Component(service = {ArtifactStore.class, FileArtifactStore.class}, configurationPid = "hub.store")
@Designate(ocd = StoreConfig.class)
public class FileArtifactStore implements ArtifactStore {
    private static final System.Logger LOG = System.getLogger(FileArtifactStore.class.getName());
    private static final String MANIFEST_PIN = "manifest:";

    /** One verified artifact in a version's record. */
    record VerifiedFile(String file, String sha256, long size, boolean trustedOnFirstUse, String verifiedAt) {
    }

    private final ModelRegistry registry;
    private final ChecksumService checksums;
    private final HubHome home;
    private final java.util.function.Function<String, String> env;
    // settings-derived parts: replaced together by @Modified, so a configuration change never restarts the store
    // (and with it every component that uses it); transfers already running keep the parts they started with
    private volatile CacheLayout layout;
    private volatile StoreConfig config;
    private volatile VerificationLevel level;
    private volatile SourceFetcher fetcher;
    private volatile VerificationRecords records;
    private final DownloadHistory history;
    private final hub.api.state.StateStore state;
    private final Path pinFile;
    private final Map<Path, Transfer> transfers = new ConcurrentHashMap<>();

    /**
     * A running transfer, shared by every pull that wants the artifact; cancelled when all of them are. Its jobs are
     * tried in order: the mirrors the shared catalog records, then the origin.
     */
    private record Transfer(CompletableFuture<DownloadJob.Outcome> future, List<DownloadJob> jobs,
            java.util.concurrent.atomic.AtomicInteger waiters) {
    }
    private final Map<ModelRef, String> failures = new ConcurrentHashMap<>();
    private final Map<ModelRef, Set<String>> pins = new ConcurrentHashMap<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hub-artifact-transfer");
        t.setDaemon(true);
        return t;
    });
    private volatile EventAdmin events;

    /**
     * @param registry the catalog
     * @param checksums checksum service
     * @param home the hub home
     * @param config settings
     */
    @Activate
    public FileArtifactStore(@Reference ModelRegistry registry, @Reference ChecksumService checksums,
            @Reference HubHome home,
            @Reference(target = hub.core.internal.state.FileStateStore.SELECTED) hub.api.state.StateStore state,
            StoreConfig config) {
        this(registry, checksums, home, state, config, System::getenv);
    }

    /**
     * A store whose download records are in the home's files (tests and tools).
     *
     * @param registry the catalog
     * @param checksums checksum service
     * @param home the hub home
     * @param config settings
     */
    public FileArtifactStore(ModelRegistry registry, ChecksumService checksums, HubHome home, StoreConfig config) {
        this(registry, checksums, home, new hub.core.internal.state.FileStateStore(home.catalog(), home.state()),
                config, System::getenv);
    }

    /**
     * @param registry the catalog
     * @param checksums checksum service
     * @param home the hub home
     * @param config settings
     * @param env the environment ({@code HF_ENDPOINT}, {@code HF_TOKEN})
     * @return a store whose download records are in the home's files (tests and tools)
     */
    public static FileArtifactStore withEnv(ModelRegistry registry, ChecksumService checksums, HubHome home,
            StoreConfig config, java.util.function.Function<String, String> env) {
        return new FileArtifactStore(registry, checksums, home,
                new hub.core.internal.state.FileStateStore(home.catalog(), home.state()), config, env);
    }

    /**
     * @param registry the catalog
     * @param checksums checksum service
     * @param home the hub home
     * @param state where download records are kept
     * @param config settings
     * @param env the environment ({@code HF_ENDPOINT}, {@code HF_TOKEN})
     */
    public FileArtifactStore(ModelRegistry registry, ChecksumService checksums, HubHome home,
            hub.api.state.StateStore state, StoreConfig config, java.util.function.Function<String, String> env) {
        this.env = env;
        this.registry = registry;
        this.checksums = checksums;
        this.home = home;
        apply(config);
        this.state = state;
        this.history = new DownloadHistory(state);
        this.pinFile = home.state().resolve("pins.json");
        loadPins();
    }

    @Modified
    void modified(StoreConfig newConfig) {
        apply(newConfig);
    }

    private synchronized void apply(StoreConfig c) {
        VerificationLevel v = VerificationLevel.parse(c.verification());
        CacheLayout l = new CacheLayout(c.cacheDir().isBlank() ? home.defaultCache() : Path.of(c.cacheDir()));
        try {
            boolean created = !Files.exists(l.root());
            Files.createDirectories(l.root());
            if (created) {
                hub.core.internal.home.HubHome.ownerOnly(l.root());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create cache directory " + l.root(), e);
        }
        this.config = c;
        this.level = v;
        this.layout = l;
        this.fetcher = new SourceFetcher(c, env.apply("HF_ENDPOINT"), env.apply("HF_TOKEN"), objectStores::get);
        this.records = new VerificationRecords(l);
    }

    @Deactivate
    void deactivate() {
        close();
    }

    /**
     * A store with these settings on another cache directory (a manifest's own); {@link #close()} it when done.
     *
     * @param cacheDir the other cache directory
     * @return the new store, sharing catalog, home and history
     */
    public FileArtifactStore withCacheDir(Path cacheDir) {
        String dir = cacheDir.toString();
        StoreConfig c = (StoreConfig) java.lang.reflect.Proxy.newProxyInstance(StoreConfig.class.getClassLoader(),
                new Class<?>[] {StoreConfig.class},
                (p, m, args) -> m.getName().equals("cacheDir") ? dir : m.invoke(config, args));
        return new FileArtifactStore(registry, checksums, home, state, c, env);
    }

    /** Stops transfer threads; for stores created outside DS (a manifest's own cache directory). */
    public void close() {
        pool.shutdownNow();
    }

    /** The object stores by scheme ({@code s3}), from the bundles that provide them. */
    private final Map<String, hub.api.objectstore.ObjectStore> objectStores = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addObjectStore(hub.api.objectstore.ObjectStore s) {
        objectStores.put(s.scheme().toLowerCase(java.util.Locale.ROOT), s);
    }

    void removeObjectStore(hub.api.objectstore.ObjectStore s) {
        objectStores.remove(s.scheme().toLowerCase(java.util.Locale.ROOT), s);
    }

    /**
     * @param scheme a scheme such as {@code s3}
     * @return the object store serving it
     * @throws ArtifactException when none does
     */
    public hub.api.objectstore.ObjectStore objectStore(String scheme) {
        return fetcher.objectStore(scheme);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setEventAdmin(EventAdmin e) {
        this.events = e;
    }

    void unsetEventAdmin(EventAdmin e) {
        if (this.events == e) {
            this.events = null;
        }
    }

    // ---- pulling ----

    @Override
    public LocalModel pull(ModelRef ref, PullOptions options, ProgressListener listener) {
        try {
            return pullAsync(ref, options, listener).toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new ArtifactException("pull of " + ref + " failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public CompletionStage<LocalModel> pullAsync(ModelRef ref, PullOptions options, ProgressListener listener) {
        ModelDescriptor d = registry.get(ref);
        PullOptions o = options == null ? PullOptions.DEFAULT : options;
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        boolean ready = !o.force() && status(d) == ModelStatus.READY;
        if (o.offline() && !ready) {
            throw new ModelsMissingException(List.of(d.ref() + " is not in the cache (offline: nothing is downloaded)"));
        }
        if (ready) {
            touch(d.ref());
            return CompletableFuture.completedFuture(localFiles(d));
        }
        ensureRoom(d);
        DownloadJob.Settings s = new DownloadJob.Settings(o.verification() == null ? level : o.verification(), o.force(),
                Math.max(0, config.maxRetries()), Math.max(1, config.retryBackoffMillis()));
        List<Transfer> running = new ArrayList<>();
        for (ArtifactSpec a : d.artifacts()) {
            running.add(transfer(d, a, s, l));
        }
        CompletableFuture<LocalModel> pull = CompletableFuture.allOf(running.stream().map(Transfer::future)
                .toArray(CompletableFuture[]::new)).handle((ok, err) -> {
            if (err != null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                failures.put(d.ref(), String.valueOf(cause.getMessage()));
                throw cause instanceof RuntimeException re ? re
                        : new ArtifactException("pull of " + d.ref() + " failed: " + cause.getMessage(), cause);
            }
            failures.remove(d.ref());
            touch(d.ref());
            enforceLimit(d.ref());
            return localFiles(d);
        });
        // a caller that cancels its pull (Ctrl-C on the command line) stops the transfers nobody else waits for;
        // what arrived stays in the .part files and the next pull resumes from there
        pull.whenComplete((v, e) -> {
            if (pull.isCancelled()) {
                for (Transfer t : running) {
                    if (t.waiters().decrementAndGet() <= 0) {
                        t.jobs().forEach(DownloadJob::cancel);
                    }
                }
            }
        });
        return pull;
    }

    private Transfer transfer(ModelDescriptor d, ArtifactSpec a, DownloadJob.Settings s, ProgressListener l) {
        Path key = layout.file(d.ref(), a);
        Transfer t = transfers.computeIfAbsent(key, k -> {
            List<DownloadJob> jobs = new ArrayList<>();
            for (ArtifactSpec m : mirrored(d, a)) {
                jobs.add(new DownloadJob(d.ref(), m, layout, fetcher, s, l, this::post, records));
            }
            jobs.add(new DownloadJob(d.ref(), a, layout, fetcher, s, l, this::post, records));
            return new Transfer(CompletableFuture.supplyAsync(() -> run(d, jobs, k), pool), jobs,
                    new java.util.concurrent.atomic.AtomicInteger());
        });
        t.waiters().incrementAndGet();
        return t;
    }

    /**
     * @return the artifact as the mirrors recorded in the shared catalog hold it, verified against the catalog's
     *         checksum (the mirror's own where the catalog publishes none); none when mirrors are off, none is
     *         recorded, or the shared state cannot be read (the origin is tried then)
     */
    private List<ArtifactSpec> mirrored(ModelDescriptor d, ArtifactSpec a) {
        if (!config.preferMirrors()) {
            return List.of();
        }
        List<ArtifactSpec> out = new ArrayList<>();
        try {
            for (hub.api.mirror.MirrorRecord m : MirrorCatalog.read(state, d.ref())) {
                for (hub.api.mirror.MirrorRecord.MirroredArtifact x : m.artifacts()) {
                    if (x.role().equals(a.role()) && (a.sha256() == null || a.sha256().equals(x.sha256()))
                            && !x.uri().equals(a.source())) {
                        out.add(new ArtifactSpec(a.role(), x.uri(), a.sha256() != null ? a.sha256() : x.sha256(),
                                a.size() >= 0 ? a.size() : x.size(), a.fileName()));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: mirrors unknown ({1}); pulling from the origin", d.ref(),
                    e.getMessage());
        }
        return out;
    }

    private DownloadJob.Outcome run(ModelDescriptor d, List<DownloadJob> jobs, Path k) {
        try {
            for (int i = 0; i < jobs.size() - 1; i++) {
                DownloadJob mirror = jobs.get(i);
                try {
                    return run(d, mirror.artifact(), mirror);
                } catch (RuntimeException e) {
                    // the next mirror, then the origin: a mirror that lacks the file, cannot be reached or holds
                    // other bytes never fails a pull the origin can serve
                    LOG.log(System.Logger.Level.WARNING, "{0} {1}: mirror {2} failed ({3}); trying {4}", d.ref(),
                            mirror.artifact().role(), mirror.artifact().source(), e.getMessage(),
                            SourceFetcher.redact(jobs.get(i + 1).artifact().source()));
                }
            }
            DownloadJob origin = jobs.get(jobs.size() - 1);
            return run(d, origin.artifact(), origin);
        } finally {
            transfers.remove(k);
        }
    }

    private DownloadJob.Outcome run(ModelDescriptor d, ArtifactSpec a, DownloadJob job) {
        {
            Instant start = Instant.now();
            try {
                DownloadJob.Outcome out;
                try {
                    out = job.run();
                } finally {
                    // every attempt that failed is a line of its own, with its bytes and where it resumed from
                    totalNanos.add(java.time.Duration.between(start, Instant.now()).toNanos());
                    totalRetries.add(job.failedAttempts().size());
                    for (DownloadJob.Attempt t : job.failedAttempts()) {
                        totalBytes.add(t.bytes());
                        history.add(new DownloadRecord(d.ref(), a.role(), SourceFetcher.redact(a.source()), t.started(),
                                t.ended(), t.bytes(), t.resumedFrom(), "attempt-failed", t.error()));
                    }
                }
                history.add(new DownloadRecord(d.ref(), a.role(), SourceFetcher.redact(a.source()), start, Instant.now(),
                        out.bytesTransferred(), out.resumedFrom(), out.reused() ? "reused" : "ok", null));
                (out.reused() ? totalReused : totalCompleted).increment();
                totalBytes.add(out.bytesTransferred());
                return out;
            } catch (IOException | RuntimeException e) {
                String msg = e instanceof ArtifactException ? e.getMessage() : "download of " + d.ref() + " " + a.role()
                        + " from " + SourceFetcher.redact(a.source()) + " failed: " + e.getMessage();
                history.add(new DownloadRecord(d.ref(), a.role(), SourceFetcher.redact(a.source()), start, Instant.now(),
                        0, 0, "failed", msg));
                totalFailed.increment();
                post(d.ref(), a.role(), ModelStatus.ERROR, 0, a.size(), msg);
                throw e instanceof RuntimeException re ? re : new ArtifactException(msg, e);
            }
        }
    }

    @Override
    public hub.api.TransferTotals transferTotals() {
        return new hub.api.TransferTotals(totalCompleted.sum(), totalReused.sum(), totalFailed.sum(),
                totalRetries.sum(), totalBytes.sum(), totalNanos.sum());
    }

    private final java.util.concurrent.atomic.LongAdder totalCompleted = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder totalReused = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder totalFailed = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder totalRetries = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder totalBytes = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder totalNanos = new java.util.concurrent.atomic.LongAdder();

    private void post(ModelRef ref, String role, ModelStatus status, long bytes, long total, String error) {
        EventAdmin ea = events;
        if (ea == null) {
            return;
        }
        Map<String, Object> p = new HashMap<>();
        p.put(HubEvents.MODEL, ref.name());
        p.put(HubEvents.VERSION, ref.version());
        p.put(HubEvents.ROLE, role);
        p.put(HubEvents.BYTES, bytes);
        p.put(HubEvents.TOTAL, total);
        if (error != null) {
            p.put(HubEvents.ERROR, error);
        }
        ea.postEvent(new Event(HubEvents.ARTIFACT_TOPIC_PREFIX + status.name(), p));
    }

    private LocalModel localFiles(ModelDescriptor d) {
        Map<String, Path> files = new LinkedHashMap<>();
        for (ArtifactSpec a : d.artifacts()) {
            files.put(a.role(), layout.file(d.ref(), a));
        }
        return new LocalModel(d, files);
    }

    static boolean matches(VerifiedFile v, ArtifactSpec a) {
        return a.sha256() == null || a.sha256().equals(v.sha256());
    }

    static boolean sizeIs(Path p, long size) {
        try {
            return Files.size(p) == size;
        } catch (IOException e) {
            return false;
        }
    }

    private void touch(ModelRef ref) {
        try {
            Files.setLastModifiedTime(layout.versionDir(ref), FileTime.from(Instant.now()));
        } catch (IOException e) {
            // last-use time is advisory
        }
    }

    // ---- size limit ----

    private long limit() {
        return (long) (config.maxSizeGb() * 1e9);
    }

    /** Before a transfer of known size: make room by evicting, or refuse when only pinned versions are left. */
    private synchronized void ensureRoom(ModelDescriptor incoming) {
        long need = 0;
        for (ArtifactSpec a : incoming.artifacts()) {
            if (a.size() < 0) {
                return; // unknown size: enforced after the transfer
            }
            Path f = layout.file(incoming.ref(), a);
            need += a.size() - (Files.isRegularFile(f) ? sizeOf(f) : 0);
        }
        long used = usedBytes();
        if (used + need <= limit()) {
            return;
        }
        evict(used + need - limit(), incoming.ref());
        long after = usedBytes();
        if (after + need > limit()) {
            throw new ArtifactException("cache limit " + limit() + " bytes: " + incoming.ref() + " needs " + need
                    + " bytes but only " + Math.max(0, limit() - after) + " can be freed (the rest is pinned or in use);"
                    + " raise maxSizeGb or remove models", null);
        }
    }

    private synchronized void enforceLimit(ModelRef keep) {
        long used = usedBytes();
        if (used > limit()) {
            evict(used - limit(), keep);
        }
    }

    /** Evicts the least recently used READY, unpinned versions (never {@code keep}) until {@code bytes} are freed. */
    private void evict(long bytes, ModelRef keep) {
        List<CacheEntry> candidates = new ArrayList<>(cacheInfo().entries());
        candidates.removeIf(e -> e.pinned() || e.ref().equals(keep) || e.status() == ModelStatus.DOWNLOADING);
        candidates.sort(Comparator.comparing(e -> e.lastUsed() == null ? Instant.EPOCH : e.lastUsed()));
        long freed = 0;
        for (CacheEntry e : candidates) {
            if (freed >= bytes) {
                break;
            }
            freed += deleteTree(layout.versionDir(e.ref()));
            LOG.log(Level.INFO, "evicted {0} ({1} bytes, last used {2}) to stay under the cache limit", e.ref(), e.bytes(),
                    e.lastUsed());
        }
    }

    // ---- pins ----

    @Override
    public void pin(ModelRef ref, String owner) {
        ModelRef r = registry.get(ref).ref();
        pins.computeIfAbsent(r, k -> ConcurrentHashMap.newKeySet()).add(owner);
        if (owner.startsWith(MANIFEST_PIN)) {
            savePins();
        }
    }

    @Override
    public void unpin(ModelRef ref, String owner) {
        ModelRef r = ref.version() == null ? registry.get(ref).ref() : ref;
        Set<String> s = pins.get(r);
        if (s != null && s.remove(owner) && owner.startsWith(MANIFEST_PIN)) {
            savePins();
        }
    }

    private boolean pinned(ModelRef ref) {
        Set<String> s = pins.get(ref);
        return s != null && !s.isEmpty();
    }

    private synchronized void savePins() {
        Map<String, List<String>> out = new TreeMap<>();
        pins.forEach((ref, owners) -> owners.stream().filter(o -> o.startsWith(MANIFEST_PIN)).sorted()
                .forEach(o -> out.computeIfAbsent(ref.toString(), k -> new ArrayList<>()).add(o)));
        try {
            Files.createDirectories(pinFile.getParent());
            Path tmp = pinFile.resolveSibling("pins.json.tmp");
            Mappers.json().writeValue(tmp.toFile(), out);
            Files.move(tmp, pinFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot save pins to {0}: {1}", pinFile, e.getMessage());
        }
    }

    private void loadPins() {
        if (!Files.isRegularFile(pinFile)) {
            return;
        }
        try {
            Map<String, List<String>> in = Mappers.json().readValue(pinFile.toFile(), new TypeReference<>() {
            });
            in.forEach((ref, owners) -> pins.computeIfAbsent(ModelRef.parse(ref), k -> ConcurrentHashMap.newKeySet())
                    .addAll(owners));
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "ignoring unreadable pins {0}: {1}", pinFile, e.getMessage());
        }
    }

    // ---- status, validation, removal ----

    @Override
    public Optional<LocalModel> local(ModelRef ref) {
        Optional<ModelDescriptor> d = registry.find(ref);
        if (d.isEmpty() || status(d.get()) != ModelStatus.READY) {
            return Optional.empty();
        }
        return Optional.of(localFiles(d.get()));
    }

    @Override
    public ModelStatus status(ModelRef ref) {
        return status(registry.get(ref));
    }

    private ModelStatus status(ModelDescriptor d) {
        for (ArtifactSpec a : d.artifacts()) {
            if (transfers.containsKey(layout.file(d.ref(), a)) || lockedElsewhere(d.ref(), a)) {
                return ModelStatus.DOWNLOADING;
            }
        }
        if (failures.containsKey(d.ref())) {
            return ModelStatus.ERROR;
        }
        Map<String, VerifiedFile> rec = records.read(d.ref());
        for (ArtifactSpec a : d.artifacts()) {
            VerifiedFile v = rec.get(a.role());
            if (v == null || !matches(v, a) || !sizeIs(layout.file(d.ref(), a), v.size())) {
                return ModelStatus.NOT_DOWNLOADED;
            }
        }
        return ModelStatus.READY;
    }

    /** Another hub process holds the artifact's lock while it transfers it. */
    private boolean lockedElsewhere(ModelRef ref, ArtifactSpec a) {
        Path lock = layout.lock(ref, a);
        if (!Files.exists(lock)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public ValidationReport validate(ModelRef ref) {
        ModelDescriptor d = registry.get(ref);
        Map<String, VerifiedFile> rec = records.read(d.ref());
        List<ArtifactCheck> checks = new ArrayList<>();
        for (ArtifactSpec a : d.artifacts()) {
            Path f = layout.file(d.ref(), a);
            VerifiedFile v = rec.get(a.role());
            String expected = a.sha256() != null ? a.sha256() : v == null ? null : v.sha256();
            if (!Files.isRegularFile(f)) {
                checks.add(new ArtifactCheck(a.role(), f.toString(), expected, null, -1, false, "missing"));
                continue;
            }
            try {
                Checksum c = checksums.checksum(f);
                boolean ok = expected != null && expected.equals(c.sha256()) && (a.size() < 0 || a.size() == c.size());
                String msg = ok ? "ok" : expected == null ? "no checksum to compare with (never verified)"
                        : !expected.equals(c.sha256()) ? "checksum mismatch" : "size mismatch";
                checks.add(new ArtifactCheck(a.role(), f.toString(), expected, c.sha256(), c.size(), ok, msg));
            } catch (IOException e) {
                checks.add(new ArtifactCheck(a.role(), f.toString(), expected, null, -1, false, "unreadable: " + e.getMessage()));
            }
        }
        return new ValidationReport(d.ref(), checks);
    }

    @Override
    public List<ModelRef> remove(ModelRef ref) {
        List<ModelDescriptor> targets = ref.version() == null
                ? registry.versions(ref.name()).stream().map(v -> registry.get(new ModelRef(ref.name(), v))).toList()
                : List.of(registry.get(ref));
        if (targets.isEmpty()) {
            throw new ModelNotFoundException(ref.toString(), null);
        }
        List<ModelRef> removed = new ArrayList<>();
        for (ModelDescriptor d : targets) {
            if (status(d) == ModelStatus.DOWNLOADING) {
                throw new ArtifactException("cannot remove " + d.ref() + " while it is downloading", null);
            }
            Path dir = layout.versionDir(d.ref());
            if (Files.isDirectory(dir)) {
                deleteTree(dir);
                removed.add(d.ref());
            }
            failures.remove(d.ref());
        }
        return removed;
    }

    @Override
    public List<DownloadRecord> history(String name) {
        return history.read(name);
    }

    @Override
    public CleanupReport cleanup() {
        List<String> removed = new ArrayList<>();
        long[] freed = {0};
        try (Stream<Path> names = Files.list(layout.root())) {
            for (Path nameDir : names.filter(Files::isDirectory).toList()) {
                List<Path> versions;
                try (Stream<Path> vs = Files.list(nameDir)) {
                    versions = vs.filter(Files::isDirectory).toList();
                }
                for (Path vdir : versions) {
                    cleanVersion(nameDir.getFileName().toString(), vdir, removed, freed);
                }
                try (Stream<Path> left = Files.list(nameDir)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(nameDir);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cleanup of " + layout.root() + " failed: " + e.getMessage(), e);
        }
        return new CleanupReport(removed, freed[0]);
    }

    private void cleanVersion(String name, Path vdir, List<String> removed, long[] freed) throws IOException {
        Optional<ModelDescriptor> d;
        try {
            d = registry.find(new ModelRef(name, vdir.getFileName().toString()));
        } catch (IllegalArgumentException e) {
            d = Optional.empty();
        }
        if (d.isEmpty()) {
            freed[0] += deleteTree(vdir);
            removed.add("no catalog entry owns it: " + vdir);
            return;
        }
        ModelDescriptor desc = d.get();
        if (status(desc) == ModelStatus.DOWNLOADING) {
            return;
        }
        Map<String, VerifiedFile> rec = records.read(desc.ref());
        Set<String> artifactFiles = new HashSet<>();
        desc.artifacts().forEach(a -> artifactFiles.add(a.fileName()));
        List<Path> files;
        try (Stream<Path> fs = Files.list(vdir)) {
            files = fs.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String fn = f.getFileName().toString();
            if (fn.equals(CacheLayout.RECORD) || fn.endsWith(CacheLayout.LOCK)) {
                continue; // lock files stay: deleting one another process waits on would split the lock
            }
            long size = Files.size(f);
            if (fn.endsWith(CacheLayout.PART) || fn.endsWith(CacheLayout.PART + ".json")) {
                Files.delete(f);
                freed[0] += size;
                removed.add("orphan partial: " + f);
                continue;
            }
            if (!artifactFiles.contains(fn)) {
                Files.delete(f);
                freed[0] += size;
                removed.add("not an artifact of " + desc.ref() + ": " + f);
                continue;
            }
            ArtifactSpec a = desc.artifacts().stream().filter(x -> x.fileName().equals(fn)).findFirst().orElseThrow();
            VerifiedFile v = rec.get(a.role());
            String expected = a.sha256() != null ? a.sha256() : v == null ? null : v.sha256();
            if (expected == null || !checksums.matches(f, expected)) {
                Files.delete(f);
                freed[0] += size;
                removed.add((expected == null ? "never verified: " : "invalid checksum: ") + f);
            }
        }
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0; // gone meanwhile: nothing there
        }
    }

    /**
     * The bytes of the files under a directory. Transfers rename and delete their .part files while this walks, so a
     * file that is gone by the time it is visited counts as nothing, as in a {@code du} of a busy tree.
     */
    static long treeBytes(Path root) throws IOException {
        long[] bytes = {0};
        if (!Files.exists(root)) {
            return 0;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    bytes[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof java.nio.file.NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }
        });
        return bytes[0];
    }

    private static long deleteTree(Path root) {
        long[] bytes = {0};
        if (!Files.exists(root)) {
            return 0;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    bytes[0] += attrs.size();
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
        }
        return bytes[0];
    }

    private long usedBytes() {
        try {
            return treeBytes(layout.root());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cache " + layout.root() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CacheInfo cacheInfo() {
        List<CacheEntry> entries = new ArrayList<>();
        Set<ModelRef> seen = new TreeSet<>(Comparator.comparing(ModelRef::toString));
        try (Stream<Path> names = Files.list(layout.root())) {
            for (Path nameDir : names.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> vs = Files.list(nameDir)) {
                    for (Path vdir : vs.filter(Files::isDirectory).sorted().toList()) {
                        ModelRef ref;
                        try {
                            ref = new ModelRef(nameDir.getFileName().toString(), vdir.getFileName().toString());
                        } catch (IllegalArgumentException e) {
                            continue;
                        }
                        long bytes = treeBytes(vdir);
                        ModelStatus s = registry.find(ref).map(this::status).orElse(ModelStatus.ERROR);
                        entries.add(new CacheEntry(ref, bytes, s, Files.getLastModifiedTime(vdir).toInstant(), pinned(ref)));
                        seen.add(ref);
                    }
                }
            }
            long used = entries.stream().mapToLong(CacheEntry::bytes).sum();
            long free = Files.getFileStore(layout.root()).getUsableSpace();
            return new CacheInfo(layout.root(), limit(), used, free, entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cache " + layout.root() + ": " + e.getMessage(), e);
        }
    }
}
