package hub.core.internal.runtime;

import hub.core.internal.Mappers;
import com.fasterxml.jackson.core.type.TypeReference;
import hub.api.ArtifactSpec;
import hub.api.ArtifactStore;
import hub.api.Device;
import hub.api.DeviceSelection;
import hub.api.DeviceService;
import hub.api.Family;
import hub.api.HubEvents;
import hub.api.HubException;
import hub.api.LoadedModelInfo;
import hub.api.LoaderUnavailableException;
import hub.api.LocalModel;
import hub.api.ModelDescriptor;
import hub.api.ModelHub;
import hub.api.ModelInfo;
import hub.api.ModelLease;
import hub.api.ModelNotFoundException;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import hub.api.ModelStatus;
import hub.api.ProgressListener;
import hub.api.SwitchException;
import hub.api.SwitchResult;
import hub.api.UnloadResult;
import hub.api.spi.LoadRequest;
import hub.api.spi.LoadedModel;
import hub.api.spi.ModelLoader;
import hub.core.internal.home.HubHome;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The hub facade and the only consumer of the loader whiteboard. Each model version and device is loaded once and
 * shared through leases; concurrent first calls wait on one load. Memory budgets per device, idle timeouts and
 * memory pressure unload the least recently used idle models that nothing pins; aliases point at the active model
 * of a task and switch atomically after the new models are loaded and warmed.
 */
@Component(service = {ModelHub.class, hub.api.fleet.Fleet.class}, configurationPid = "hub.runtime")
@Designate(ocd = RuntimeConfig.class)
public class DefaultModelHub implements ModelHub, hub.api.fleet.Fleet {
    private static final System.Logger LOG = System.getLogger(DefaultModelHub.class.getName());

    private record LoaderEntry(ModelLoader loader, Family family, int ranking, long serviceId) {
    }

    private record Key(ModelRef ref, Device device) {
    }

    /** Where an alias points, and on which device its model runs. */
    record AliasTarget(ModelRef ref, Device device) {
    }

    private final ModelRegistry registry;
    private final ArtifactStore store;
    private final DeviceService devices;
    /** Where the aliases are kept (shared by the hubs of a fleet); null: nowhere (tests). */
    private final hub.api.state.StateStore state;
    private AutoCloseable watchingAliases;
    /** This hub's part in the fleet sharing the state; null without a store (tests). */
    private final FleetMembership fleet;
    /** Set while this hub writes its own switch: the store's notification of it is not news. */
    private volatile boolean savingAliases;
    private final Clock clock;
    private final DoubleSupplier memoryUsage;
    private volatile Semaphore loadPermits;
    /** The threads a switch loads its models on: the runtime's own, as many as loads may run at once. */
    private final java.util.concurrent.ThreadPoolExecutor switchLoads;
    private final java.util.concurrent.atomic.AtomicInteger activeLoads = new java.util.concurrent.atomic.AtomicInteger();
    /** The most loads seen running at once (for tests and status). */
    final java.util.concurrent.atomic.AtomicInteger concurrentLoads = new java.util.concurrent.atomic.AtomicInteger();
    private final LeaseTracker leases = new LeaseTracker();
    private final List<LoaderEntry> loaders = new CopyOnWriteArrayList<>();
    private final Map<Key, CompletableFuture<LoadedEntry>> loaded = new ConcurrentHashMap<>();
    private final AtomicReference<Map<String, AliasTarget>> aliases = new AtomicReference<>(Map.of());
    /** Pins made here when there is no shared state (tests). */
    private final Set<ModelRef> adminPins = ConcurrentHashMap.newKeySet();
    /** An administrator's pins, shared by the fleet (a pin made on one hub holds on every hub); null without a store. */
    private final hub.core.internal.state.StateCopy<Set<ModelRef>> sharedPins;
    private final Object switchLock = new Object();
    private final ScheduledExecutorService sweeper;
    private volatile RuntimeConfig config;
    private volatile EventAdmin events;
    private final FetchGuard fetchGuard;

    /**
     * @param registry catalog
     * @param store artifact store
     * @param devices device service
     * @param home hub home, for the aliases
     * @param config settings
     */
    @Activate
    public DefaultModelHub(@Reference ModelRegistry registry, @Reference ArtifactStore store,
            @Reference DeviceService devices, @Reference HubHome home, @Reference FetchGuard fetchGuard,
            @Reference(target = hub.core.internal.state.FileStateStore.SELECTED)
            hub.api.state.StateStore state, RuntimeConfig config) {
        this(registry, store, devices, state, config, Clock.systemUTC(), DefaultModelHub::processMemoryFraction, true,
                fetchGuard, home::hubId); // read when first needed: not every command pays for the host name
    }

    DefaultModelHub(ModelRegistry registry, ArtifactStore store, DeviceService devices, Path aliasFile,
            RuntimeConfig config, Clock clock, DoubleSupplier memoryUsage, boolean sweep) {
        this(registry, store, devices, aliasFile, config, clock, memoryUsage, sweep, new FetchGuard());
    }

    DefaultModelHub(ModelRegistry registry, ArtifactStore store, DeviceService devices, Path aliasFile,
            RuntimeConfig config, Clock clock, DoubleSupplier memoryUsage, boolean sweep, FetchGuard fetchGuard) {
        this(registry, store, devices, aliasFile == null ? null : new hub.core.internal.state.FileStateStore(
                aliasFile.getParent().resolveSibling("catalog"), aliasFile.getParent()), config, clock, memoryUsage,
                sweep, fetchGuard, () -> "hub-test");
    }

    DefaultModelHub(ModelRegistry registry, ArtifactStore store, DeviceService devices, hub.api.state.StateStore state,
            RuntimeConfig config, Clock clock, DoubleSupplier memoryUsage, boolean sweep, FetchGuard fetchGuard,
            java.util.function.Supplier<String> hubId) {
        this.fetchGuard = fetchGuard;
        this.registry = registry;
        this.store = store;
        this.devices = devices;
        this.state = state;
        this.config = config;
        this.clock = clock;
        this.memoryUsage = memoryUsage;
        this.loadPermits = new Semaphore(Math.max(1, config.maxConcurrentLoads()), true);
        int n = Math.max(1, config.maxConcurrentLoads());
        java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
        this.switchLoads = new java.util.concurrent.ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "hub-model-load-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        switchLoads.allowCoreThreadTimeOut(true);
        loadAliases();
        this.sharedPins = state == null ? null : new hub.core.internal.state.StateCopy<>(state,
                hub.api.state.StateKind.PINS, Set.of(), docs -> {
                    Set<ModelRef> refs = new java.util.HashSet<>();
                    docs.keySet().forEach(k -> {
                        try {
                            refs.add(ModelRef.parse(k));
                        } catch (RuntimeException e) {
                            LOG.log(Level.WARNING, "ignoring the unreadable pin {0}", k);
                        }
                    });
                    return Set.copyOf(refs);
                }, null);
        this.fleet = state == null ? null : new FleetMembership(state, hubId, hubVersion(), clock,
                () -> loaded().stream().map(i -> i.ref() + " (" + i.device().name().toLowerCase(Locale.ROOT) + ")")
                        .toList(), this::prepareForFleet, () -> this.config);
        if (state != null) {
            // a switch made by another process or hub: this hub follows (its models load on the next lease)
            watchingAliases = state.watch(kind -> {
                if (kind == hub.api.state.StateKind.ALIASES) {
                    reloadAliases();
                }
            });
        }
        if (sweep) {
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "hub-model-sweeper");
                t.setDaemon(true);
                return t;
            });
            int every = Math.max(1, config.sweepIntervalSeconds());
            sweeper.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.SECONDS);
        } else {
            sweeper = null;
        }
    }

    @Modified
    void modified(RuntimeConfig newConfig) {
        if (newConfig.maxConcurrentLoads() != config.maxConcurrentLoads()) {
            int n = Math.max(1, newConfig.maxConcurrentLoads());
            loadPermits = new Semaphore(n, true);
            if (n > switchLoads.getMaximumPoolSize()) {
                switchLoads.setMaximumPoolSize(n);
                switchLoads.setCorePoolSize(n);
            } else {
                switchLoads.setCorePoolSize(n);
                switchLoads.setMaximumPoolSize(n);
            }
        }
        this.config = newConfig;
    }

    @Override
    public double memoryUsage(Device device) {
        return device == Device.GPU ? devices.gpuMemoryUsage() : memoryUsage.getAsDouble();
    }

    @Deactivate
    void deactivate() {
        closeQuietly(sharedPins);
        closeQuietly(fleet);
        closeQuietly(watchingAliases);
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        switchLoads.shutdownNow();
        for (Key k : List.copyOf(loaded.keySet())) {
            forceClose(k, "shutdown");
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(Level.DEBUG, "closing {0}: {1}", c, e.getMessage());
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setEventAdmin(EventAdmin e) {
        this.events = e;
    }

    void unsetEventAdmin(EventAdmin e) {
        if (events == e) {
            events = null;
        }
    }

    // ---- loaders ----

    @Reference(service = ModelLoader.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addLoader(ModelLoader loader, Map<String, Object> props) {
        Object fam = props.get(ModelLoader.FAMILY_PROPERTY);
        if (fam == null) {
            LOG.log(Level.WARNING, "ignoring loader {0} without a {1} property", loader, ModelLoader.FAMILY_PROPERTY);
            return;
        }
        int ranking = props.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
        long id = props.get(Constants.SERVICE_ID) instanceof Long l ? l : 0;
        loaders.add(new LoaderEntry(loader, Family.of(fam.toString()), ranking, id));
    }

    void removeLoader(ModelLoader loader) {
        loaders.removeIf(e -> e.loader() == loader);
        for (Map.Entry<Key, CompletableFuture<LoadedEntry>> e : loaded.entrySet()) {
            LoadedEntry le = e.getValue().getNow(null);
            if (le != null && le.loader == loader) {
                forceClose(e.getKey(), "loader-gone");
            }
        }
    }

    private ModelLoader loaderFor(ModelDescriptor d) {
        return loaders.stream().filter(e -> e.family().equals(d.family()) && e.loader().accepts(d))
                .max(Comparator.comparingInt(LoaderEntry::ranking).thenComparing(e -> -e.serviceId()))
                .map(LoaderEntry::loader).orElseThrow(() -> new LoaderUnavailableException(d.family()));
    }

    @Override
    public Set<Family> availableFamilies() {
        Set<Family> s = new TreeSet<>(Comparator.comparing(Family::id));
        loaders.forEach(e -> s.add(e.family()));
        return s;
    }

    // ---- loading ----

    @Override
    public LocalModel ensureReady(ModelRef ref, ProgressListener listener) {
        return store.pull(ref, listener);
    }

    @Override
    public ModelLease load(ModelRef ref, Device device) {
        Device requested = device == null ? Device.AUTO : device;
        if (ref.version() != null) {
            // the hot path: a pinned version already loaded on the device this request resolves to
            Key key = new Key(ref, deviceOf(requested));
            CompletableFuture<LoadedEntry> f = loaded.get(key);
            LoadedEntry e = f == null ? null : f.getNow(null);
            if (e != null && e.acquire()) {
                return new Lease(e, leases, () -> loaded.remove(key, f));
            }
        }
        ModelDescriptor d = registry.get(ref);
        ModelLoader loader = loaderFor(d);
        DeviceSelection sel = fitBudget(d, devices.resolve(requested));
        Key key = new Key(d.ref(), sel.device());
        while (true) {
            // the first caller opens the model outside any map lock (a download or a wait for a load permit may
            // take long); the others wait on its future
            CompletableFuture<LoadedEntry> mine = new CompletableFuture<>();
            CompletableFuture<LoadedEntry> existing = loaded.putIfAbsent(key, mine);
            CompletableFuture<LoadedEntry> f = existing == null ? mine : existing;
            if (existing == null) {
                try {
                    mine.complete(open(d, loader, sel));
                } catch (RuntimeException | Error ex) {
                    mine.completeExceptionally(ex);
                }
            }
            LoadedEntry e;
            try {
                e = f.join();
            } catch (CompletionException ex) {
                loaded.remove(key, f);
                throw ex.getCause() instanceof RuntimeException re ? re
                        : new HubException("loading " + d.ref() + " failed: " + ex.getCause(), ex.getCause());
            }
            if (e.acquire()) {
                return new Lease(e, leases, () -> loaded.remove(key, f));
            }
            loaded.remove(key, f); // it was being unloaded: load it afresh
        }
    }

    private LoadedEntry open(ModelDescriptor d, ModelLoader loader, DeviceSelection sel) {
        fetchGuard.requireFetchAllowed(d.ref(), store.status(d.ref()) == ModelStatus.READY);
        LocalModel local = store.pull(d.ref(), fetchGuard.progress());
        RuntimeConfig c = config;
        long before = usedMemory();
        long start = System.nanoTime();
        LoadedModel model;
        Semaphore permits = loadPermits; // the limit in force when this load began
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException("interrupted while waiting to load " + d.ref());
        }
        try {
            concurrentLoads.accumulateAndGet(activeLoads.incrementAndGet(), Math::max);
            model = loader.open(new LoadRequest(d, local.files(), sel.device(), c.intraOpThreads(), c.interOpThreads()));
        } catch (HubException e) {
            throw e;
        } catch (Exception e) {
            throw new HubException("loader for " + d.family() + " could not open " + d.ref() + ": " + e.getMessage(), e);
        } finally {
            activeLoads.decrementAndGet();
            permits.release();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // resident-set growth across the load (native memory included), but never below the file-size estimate:
        // growth is noisy, and concurrent loads share it
        long reported = model.memoryBytes();
        long grown = usedMemory() - before;
        long estimated = estimate(d);
        boolean measured = reported >= 0 || grown > estimated;
        long memory = reported >= 0 ? reported : Math.max(grown, estimated);
        LOG.log(Level.INFO, "loaded {0} on {1} in {2} ms ({3})", d.ref(), model.device(), took.toMillis(), sel.reason());
        String pin = "loaded:" + model.device().name().toLowerCase(Locale.ROOT);
        store.pin(d.ref(), pin); // its files stay in the cache while it is loaded
        post(HubEvents.MODEL_TOPIC_PREFIX + "LOADED", d.ref(), model.device(), null, took.toMillis());
        return new LoadedEntry(d, model, loader, memory, measured, took, clock, () -> store.unpin(d.ref(), pin));
    }

    /** Resident set size (native memory included) where /proc tells it, else heap in use. */
    private static long usedMemory() {
        try {
            String statm = Files.readString(Path.of("/proc/self/statm"));
            return Long.parseLong(statm.trim().split("\\s+")[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            Runtime r = Runtime.getRuntime();
            return r.totalMemory() - r.freeMemory();
        }
    }

    /** Memory of a model before it is loaded: its files' size (ONNX weights dominate). */
    private static long estimate(ModelDescriptor d) {
        long size = d.totalSize();
        return size > 0 ? size : d.artifacts().stream().mapToLong(ArtifactSpec::size).filter(x -> x > 0).sum();
    }

    // ---- memory ----

    private long budget(Device device) {
        RuntimeConfig c = config;
        if (device == Device.GPU) {
            return c.gpuBudgetMb() > 0 ? c.gpuBudgetMb() << 20 : Long.MAX_VALUE;
        }
        if (c.cpuBudgetMb() > 0) {
            return c.cpuBudgetMb() << 20;
        }
        return (long) (physicalMemory() * 0.6);
    }

    private long used(Device device) {
        return entries().stream().filter(e -> e.model.device() == device).mapToLong(e -> e.memoryBytes).sum();
    }

    /**
     * Makes room on the chosen device by evicting idle models, least recently used first; for AUTO falls back from
     * a full GPU to the CPU; otherwise refuses with what holds the memory.
     */
    private DeviceSelection fitBudget(ModelDescriptor d, DeviceSelection sel) {
        if (loaded.containsKey(new Key(d.ref(), sel.device()))) {
            return sel;
        }
        long need = estimate(d);
        if (fits(sel.device(), need, d.ref())) {
            return sel;
        }
        if (sel.requested() == Device.AUTO && sel.device() == Device.GPU) {
            DeviceSelection cpu = new DeviceSelection(Device.AUTO, Device.CPU, "GPU memory budget full, using the CPU", true);
            LOG.log(Level.INFO, "{0}: {1}", d.ref(), cpu.reason());
            return fitBudget(d, cpu);
        }
        throw new HubException("memory budget of " + sel.device() + " (" + (budget(sel.device()) >> 20) + " MB) cannot fit "
                + d.ref() + " (about " + (need >> 20) + " MB): " + (used(sel.device()) >> 20)
                + " MB are held by models in use or pinned");
    }

    private boolean fits(Device device, long need, ModelRef incoming) {
        long budget = budget(device);
        if (used(device) + need <= budget) {
            return true;
        }
        for (Map.Entry<Key, LoadedEntry> e : idleByLastUse()) {
            if (e.getKey().device() != device || e.getKey().ref().equals(incoming)) {
                continue;
            }
            unloadIdle(e.getKey(), e.getValue(), "budget", "EVICTED");
            if (used(device) + need <= budget) {
                return true;
            }
        }
        return used(device) + need <= budget;
    }

    /** Loaded, unleased, unpinned models, least recently used first. */
    private List<Map.Entry<Key, LoadedEntry>> idleByLastUse() {
        List<Map.Entry<Key, LoadedEntry>> out = new ArrayList<>();
        for (Map.Entry<Key, CompletableFuture<LoadedEntry>> e : loaded.entrySet()) {
            LoadedEntry le = e.getValue().getNow(null);
            if (le != null && !le.isClosed() && le.leases() == 0 && !pinned(le.descriptor.ref())) {
                out.add(Map.entry(e.getKey(), le));
            }
        }
        out.sort(Comparator.comparing(e -> e.getValue().lastUsed()));
        return out;
    }

    private void unloadIdle(Key key, LoadedEntry e, String reason, String topic) {
        if (e.unloadIfIdle()) {
            loaded.computeIfPresent(key, (k, f) -> f.getNow(null) == e ? null : f);
            LOG.log(Level.INFO, "unloaded {0} from {1} ({2})", key.ref(), key.device(), reason);
            post(HubEvents.MODEL_TOPIC_PREFIX + topic, key.ref(), key.device(), reason);
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "model sweep failed", e);
        }
    }

    /** Unloads models idle past their timeout, then idle models while process memory is past the threshold. */
    void sweep() {
        leases.expunge();
        for (Map.Entry<Key, LoadedEntry> e : idleByLastUse()) {
            Duration idle = Duration.between(e.getValue().lastUsed(), clock.instant());
            if (idle.compareTo(timeout(e.getKey())) >= 0) {
                unloadIdle(e.getKey(), e.getValue(), "idle", "UNLOADED");
            }
        }
        double threshold = config.memoryPressureThreshold();
        for (Map.Entry<Key, LoadedEntry> e : idleByLastUse()) {
            if (memoryUsage.getAsDouble() <= threshold) {
                break;
            }
            unloadIdle(e.getKey(), e.getValue(), "memory-pressure", "EVICTED");
        }
        if (entries().stream().anyMatch(e -> e.model.device() == Device.GPU)) {
            for (Map.Entry<Key, LoadedEntry> e : idleByLastUse()) {
                if (e.getKey().device() != Device.GPU) {
                    continue;
                }
                if (devices.gpuMemoryUsage() <= threshold) {
                    break;
                }
                unloadIdle(e.getKey(), e.getValue(), "gpu-memory-pressure", "EVICTED");
            }
        }
    }

    private Duration timeout(Key key) {
        for (String kv : config.keepAlive()) {
            int eq = kv.indexOf('=');
            if (eq > 0 && matches(kv.substring(0, eq).trim(), key.ref())) {
                return minutes(Double.parseDouble(kv.substring(eq + 1).trim()));
            }
        }
        return minutes(key.device() == Device.GPU ? config.idleTimeoutGpuMinutes() : config.idleTimeoutCpuMinutes());
    }

    private static Duration minutes(double m) {
        return Duration.ofMillis((long) (m * 60_000));
    }

    private static boolean matches(String spec, ModelRef ref) {
        ModelRef s = ModelRef.parse(spec);
        return s.name().equals(ref.name()) && (s.version() == null || s.version().equals(ref.version()));
    }

    private boolean pinned(ModelRef ref) {
        if (adminPins.contains(ref)) {
            return true;
        }
        if (sharedPins != null) {
            try {
                if (sharedPins.get().contains(ref)) {
                    return true;
                }
            } catch (hub.api.state.StateUnavailableException e) {
                // never read: no pin known
            }
        }
        for (String p : config.pinned()) {
            if (!p.isBlank() && matches(p.trim(), ref)) {
                return true;
            }
        }
        return aliases.get().values().stream().anyMatch(t -> t.ref().equals(ref));
    }

    static double processMemoryFraction() {
        long total = physicalMemory();
        return total <= 0 ? 0 : (double) usedMemory() / total;
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    // ---- unloading and information ----

    private void forceClose(Key k, String reason) {
        CompletableFuture<LoadedEntry> f = loaded.remove(k);
        LoadedEntry le = f == null ? null : f.getNow(null);
        if (le != null) {
            int open = le.requestUnload();
            post(HubEvents.MODEL_TOPIC_PREFIX + "UNLOADED", k.ref(), k.device(), reason);
            if (open > 0) {
                LOG.log(Level.WARNING, "{0}: unloading ({1}) with {2} lease(s) open; it closes when they do",
                        k.ref(), reason, open);
            }
        }
    }

    @Override
    public UnloadResult unload(ModelRef ref) {
        ModelDescriptor d = registry.get(ref);
        int open = -1;
        for (Key k : List.copyOf(loaded.keySet())) {
            if (k.ref().equals(d.ref())) {
                CompletableFuture<LoadedEntry> f = loaded.remove(k);
                LoadedEntry e = f == null ? null : f.getNow(null);
                if (e != null) {
                    open = Math.max(open, 0) + e.requestUnload();
                    post(HubEvents.MODEL_TOPIC_PREFIX + "UNLOADED", k.ref(), k.device(), "request");
                }
            }
        }
        if (open < 0) {
            return new UnloadResult(d.ref(), UnloadResult.Outcome.NOT_LOADED, 0);
        }
        return new UnloadResult(d.ref(), open == 0 ? UnloadResult.Outcome.UNLOADED : UnloadResult.Outcome.DEFERRED, open);
    }

    @Override
    public ModelInfo info(ModelRef ref) {
        ModelDescriptor d = registry.get(ref);
        LoadedModelInfo li = loaded().stream().filter(i -> i.ref().equals(d.ref())).findFirst().orElse(null);
        ModelStatus status = li != null ? ModelStatus.LOADED : store.status(d.ref());
        boolean loader = loaders.stream().anyMatch(e -> e.family().equals(d.family()));
        return new ModelInfo(d, status, registry.versions(d.name()), loader, li);
    }

    private List<LoadedEntry> entries() {
        return loaded.values().stream().map(f -> f.getNow(null)).filter(e -> e != null && !e.isClosed()).toList();
    }

    @Override
    public List<LoadedModelInfo> loaded() {
        leases.expunge(); // forgotten leases count no more
        return entries().stream().map(e -> e.info(pinned(e.descriptor.ref()))).toList();
    }

    @Override
    public Duration idleTimeout(ModelRef ref, Device device) {
        ModelRef r = registry.get(ref).ref();
        return pinned(r) ? null : timeout(new Key(r, device));
    }

    @Override
    public void pin(ModelRef ref) {
        ModelRef r = registry.get(ref).ref();
        if (state == null) {
            adminPins.add(r);
            return;
        }
        Map<String, String> doc = new LinkedHashMap<>();
        doc.put("hub", self());
        doc.put("at", clock.instant().toString());
        try {
            state.write(hub.api.state.StateKind.PINS, Map.of(r.toString(), Mappers.json().writeValueAsString(
                    Map.of("owners", List.of("admin"), "by", doc))), Set.of());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        sharedPins.invalidate();
    }

    @Override
    public void unpin(ModelRef ref) {
        ModelRef r = registry.get(ref).ref();
        adminPins.remove(r);
        if (state != null) {
            state.write(hub.api.state.StateKind.PINS, Map.of(), Set.of(r.toString()));
            sharedPins.invalidate();
        }
    }

    // ---- aliases ----

    @Override
    public Map<String, ModelRef> aliases() {
        Map<String, ModelRef> out = new TreeMap<>();
        aliases.get().forEach((a, t) -> out.put(a, t.ref()));
        return out;
    }

    /**
     * The device a request resolves to, as {@code devices.resolve(requested).device()} says, without building the
     * selection and its reason on the lease path (the GPU case still asks, for its fallback and strict rules).
     */
    private Device deviceOf(Device requested) {
        return switch (requested) {
            case CPU -> Device.CPU;
            case AUTO -> devices.info().recommended();
            case GPU -> devices.resolve(Device.GPU).device();
        };
    }

    @Override
    public ModelLease lease(String alias, Device device) {
        while (true) {
            Map<String, AliasTarget> now = aliases.get();
            AliasTarget t = now.get(alias);
            if (t == null) {
                throw new ModelNotFoundException("alias:" + alias, "the alias points to no model (hub switch "
                        + alias + "=NAME@VERSION)");
            }
            Device wanted = device == null || device == Device.AUTO ? t.device() : device;
            Device dev = wanted == Device.AUTO ? deviceOf(Device.AUTO)
                    : device == null || device == Device.AUTO ? wanted : deviceOf(device);
            CompletableFuture<LoadedEntry> f = loaded.get(new Key(t.ref(), dev));
            LoadedEntry e = f == null ? null : f.getNow(null);
            if (e != null && e.acquire()) {
                Key key = new Key(t.ref(), dev);
                return new Lease(e, leases, () -> loaded.remove(key, f));
            }
            if (aliases.get() != now) {
                continue; // switched meanwhile: lease the new target
            }
            return load(t.ref(), dev);
        }
    }

    @Override
    public SwitchResult switchModels(Map<String, ModelRef> targets, Device device) {
        synchronized (switchLock) {
            List<String> failures = new ArrayList<>();
            Map<String, ModelDescriptor> resolved = new LinkedHashMap<>();
            for (Map.Entry<String, ModelRef> t : targets.entrySet()) {
                Family want = STANDARD_ALIASES.get(t.getKey());
                if (want == null) {
                    failures.add(t.getKey() + ": unknown alias" + hub.core.text.Suggestions.hint(t.getKey(),
                            STANDARD_ALIASES.keySet()) + " (aliases: " + String.join(", ", new TreeSet<>(STANDARD_ALIASES.keySet())) + ")");
                    continue;
                }
                var d = registry.find(t.getValue());
                if (d.isEmpty()) {
                    failures.add(t.getKey() + "=" + t.getValue() + ": unknown model");
                } else if (!d.get().family().equals(want)) {
                    failures.add(t.getKey() + "=" + d.get().ref() + ": family " + d.get().family() + " does not fit alias "
                            + t.getKey() + " (" + want + ")");
                } else if (loaders.stream().noneMatch(l -> l.family().equals(want))) {
                    failures.add(t.getKey() + "=" + d.get().ref() + ": no loader for " + want);
                } else {
                    resolved.put(t.getKey(), d.get());
                }
            }
            if (!failures.isEmpty()) {
                throw new SwitchException(failures);
            }
            // every other live hub of the fleet prepares the same models while this one does
            Map<String, String> wanted = new TreeMap<>();
            resolved.forEach((alias, d) -> wanted.put(alias, d.ref().toString()));
            FleetMembership.Proposed proposal = fleet == null ? null
                    : fleet.propose(wanted, (device == null ? Device.AUTO : device).name().toLowerCase(Locale.ROOT));
            Set<ModelRef> loadedBefore = loadedRefs();
            Map<ModelRef, Duration> warm = new ConcurrentHashMap<>();
            Map<String, ModelLease> held = prepare(resolved, device, failures, warm);
            if (proposal != null) {
                if (!failures.isEmpty()) {
                    failures.replaceAll(f -> "hub " + fleet.self() + " (this hub): " + f);
                } else {
                    failures.addAll(proposal.await());
                }
            }
            if (!failures.isEmpty()) {
                if (proposal != null) {
                    proposal.decide(false, String.join("; ", failures));
                }
                dropPrepared(held, resolved, loadedBefore);
                throw new SwitchException(failures);
            }
            Map<String, AliasTarget> before = aliases.get();
            Map<String, AliasTarget> after = new TreeMap<>(before);
            Map<String, ModelRef> previous = new TreeMap<>();
            held.forEach((alias, lease) -> {
                AliasTarget old = before.get(alias);
                if (old != null) {
                    previous.put(alias, old.ref());
                }
                after.put(alias, new AliasTarget(lease.descriptor().ref(), lease.device()));
            });
            savingAliases = true;
            try {
                saveAliases(after, before); // the fleet's commit: every hub flips on its notification
                aliases.set(Map.copyOf(after)); // the atomic flip: new leases go to the new models from here on
            } catch (RuntimeException e) {
                if (proposal != null) {
                    proposal.decide(false, e.getMessage());
                }
                dropPrepared(held, resolved, loadedBefore);
                throw e;
            } finally {
                savingAliases = false;
            }
            if (proposal != null) {
                proposal.decide(true, null);
            }
            Map<String, ModelRef> active = aliases();
            postSwitch(active);
            held.forEach((alias, lease) -> {
                AliasTarget old = before.get(alias);
                if (old != null) {
                    store.unpin(old.ref(), "alias:" + alias);
                }
                store.pin(lease.descriptor().ref(), "alias:" + alias);
            });
            held.values().forEach(ModelLease::close);
            unloadSwitchedOut(before, after);
            LOG.log(Level.INFO, "switched {0}", active);
            recordHistory(before, after);
            return new SwitchResult(previous, active, warm);
        }
    }

    /** One record per alias that changed, in the shared state (the fleet's history of switches). */
    private void recordHistory(Map<String, AliasTarget> before, Map<String, AliasTarget> after) {
        if (state == null) {
            return;
        }
        String at = clock.instant().toString();
        after.forEach((alias, t) -> {
            AliasTarget old = before.get(alias);
            if (t.equals(old)) {
                return;
            }
            Map<String, String> r = new LinkedHashMap<>();
            r.put("alias", alias);
            r.put("from", old == null ? null : old.ref().toString());
            r.put("to", t.ref().toString());
            r.put("device", t.device().name().toLowerCase(Locale.ROOT));
            r.put("at", at);
            r.put("hub", self());
            try {
                state.append(hub.api.state.RecordKind.ALIAS_HISTORY, alias, Mappers.json().writeValueAsString(r));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "the switch of {0} is not in the alias history: {1}", alias, e.getMessage());
            }
        });
    }

    private Set<ModelRef> loadedRefs() {
        Set<ModelRef> refs = new java.util.HashSet<>();
        loaded.keySet().forEach(k -> refs.add(k.ref()));
        return refs;
    }

    /**
     * Loads and warms a switch's models at once (on the load threads), holding a lease on each.
     *
     * @return the leases of those that made it; the others are in failures as {@code alias=ref: why}
     */
    private Map<String, ModelLease> prepare(Map<String, ModelDescriptor> resolved, Device device, List<String> failures,
            Map<ModelRef, Duration> warm) {
        Map<String, CompletableFuture<ModelLease>> jobs = new LinkedHashMap<>();
        resolved.forEach((alias, d) -> jobs.put(alias, CompletableFuture.supplyAsync(() -> {
            ModelLease lease = load(d.ref(), device);
            try {
                LoadedEntry e = entryOf(d.ref(), lease.device());
                long t0 = System.nanoTime();
                e.model.warmUp();
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                e.warmedUp(took);
                warm.put(d.ref(), took);
                return lease;
            } catch (Exception ex) {
                lease.close();
                throw new HubException("warm-up failed: " + ex.getMessage(), ex);
            }
        }, switchLoads)));
        Map<String, ModelLease> held = new LinkedHashMap<>();
        jobs.forEach((alias, job) -> {
            try {
                held.put(alias, job.join());
            } catch (CompletionException ex) {
                Throwable c = ex.getCause() == null ? ex : ex.getCause();
                failures.add(alias + "=" + resolved.get(alias).ref() + ": " + c.getMessage());
            }
        });
        return held;
    }

    /** A switch that does not happen: its leases go, and the models it loaded that nothing else uses unload. */
    private void dropPrepared(Map<String, ModelLease> held, Map<String, ModelDescriptor> resolved,
            Set<ModelRef> loadedBefore) {
        held.values().forEach(ModelLease::close);
        Set<ModelRef> active = new java.util.HashSet<>();
        aliases.get().values().forEach(t -> active.add(t.ref()));
        for (ModelDescriptor d : resolved.values()) {
            if (!loadedBefore.contains(d.ref()) && !active.contains(d.ref()) && !pinned(d.ref())) {
                for (Map.Entry<Key, CompletableFuture<LoadedEntry>> e : loaded.entrySet()) {
                    LoadedEntry le = e.getValue().getNow(null);
                    if (e.getKey().ref().equals(d.ref()) && le != null) {
                        unloadIdle(e.getKey(), le, "switch-failed", "UNLOADED");
                    }
                }
            }
        }
    }

    /** Another hub proposed a switch: load and warm its models here and hold them until it is decided. */
    private FleetMembership.Prepared prepareForFleet(Map<String, String> targets, String device) {
        Map<String, ModelDescriptor> resolved = new LinkedHashMap<>();
        targets.forEach((alias, ref) -> resolved.put(alias, registry.get(ModelRef.parse(ref))));
        for (ModelDescriptor d : resolved.values()) {
            loaderFor(d); // no loader for the family here: say so before loading anything
        }
        Set<ModelRef> loadedBefore = loadedRefs();
        List<String> failures = new ArrayList<>();
        Map<String, ModelLease> held = prepare(resolved, Device.parse(device), failures, new ConcurrentHashMap<>());
        if (!failures.isEmpty()) {
            dropPrepared(held, resolved, loadedBefore);
            throw new HubException(String.join("; ", failures));
        }
        return committed -> {
            if (committed) {
                held.values().forEach(ModelLease::close); // the aliases point at them now: they stay loaded
            } else {
                dropPrepared(held, resolved, loadedBefore);
            }
        };
    }

    private static String hubVersion() {
        org.osgi.framework.Bundle b = org.osgi.framework.FrameworkUtil.getBundle(DefaultModelHub.class);
        return b == null ? "unknown" : b.getVersion().toString();
    }

    // ---- the fleet ----

    @Override
    public String self() {
        return fleet == null ? "local" : fleet.self();
    }

    @Override
    public String store() {
        return state == null ? "none" : state.describe();
    }

    @Override
    public List<hub.api.fleet.HubMember> members() {
        return fleet == null ? List.of() : fleet.members();
    }

    @Override
    public AutoCloseable join(String address) {
        if (fleet == null) {
            return () -> { };
        }
        return fleet.join(address);
    }

    private LoadedEntry entryOf(ModelRef ref, Device device) {
        CompletableFuture<LoadedEntry> f = loaded.get(new Key(ref, device));
        LoadedEntry e = f == null ? null : f.getNow(null);
        if (e == null) {
            throw new HubException(ref + " is not loaded on " + device);
        }
        return e;
    }

    /** The models aliases no longer point at unload when the requests already running on them finish. */
    private void unloadSwitchedOut(Map<String, AliasTarget> before, Map<String, AliasTarget> after) {
        Set<ModelRef> still = new java.util.HashSet<>();
        after.values().forEach(t -> still.add(t.ref()));
        for (AliasTarget old : before.values()) {
            if (!still.contains(old.ref()) && !pinned(old.ref())) {
                // an alias on AUTO runs on the device AUTO resolved to
                for (Device dev : new java.util.LinkedHashSet<>(List.of(old.device(), deviceOf(old.device())))) {
                    Key k = new Key(old.ref(), dev);
                    CompletableFuture<LoadedEntry> f = loaded.remove(k);
                    LoadedEntry le = f == null ? null : f.getNow(null);
                    if (le != null) {
                        le.requestUnload(); // closes when the requests already running on it finish
                        post(HubEvents.MODEL_TOPIC_PREFIX + "UNLOADED", k.ref(), k.device(), "switched-out");
                    }
                }
            }
        }
    }

    private void loadAliases() {
        Map<String, AliasTarget> stored = null;
        try {
            stored = storedAliases();
        } catch (hub.api.state.StateUnavailableException e) {
            LOG.log(Level.WARNING, "cannot read the aliases ({0}); starting with the defaults", e.getMessage());
        }
        aliases.set(stored == null || stored.isEmpty() ? defaultAliases(config.defaultAliases()) : stored);
    }

    /** Another process or hub switched: take its aliases, unless they are what this hub already has. */
    private void reloadAliases() {
        if (savingAliases) {
            return;
        }
        try {
            Map<String, AliasTarget> stored = storedAliases();
            Map<String, AliasTarget> before = aliases.get();
            if (stored != null && !stored.isEmpty() && !stored.equals(before)) {
                aliases.set(stored);
                LOG.log(Level.INFO, "aliases changed elsewhere: {0}", aliases());
                postSwitch(aliases());
                unloadSwitchedOut(before, stored);
            }
        } catch (hub.api.state.StateUnavailableException e) {
            LOG.log(Level.WARNING, "cannot read the aliases: {0}", e.getMessage());
        }
    }

    private Map<String, AliasTarget> storedAliases() {
        if (state == null) {
            return null;
        }
        Map<String, AliasTarget> m = new TreeMap<>();
        state.documents(hub.api.state.StateKind.ALIASES).forEach((a, doc) -> {
            try {
                Map<String, String> t = Mappers.json().readValue(doc, new TypeReference<Map<String, String>>() {
                });
                m.put(a, new AliasTarget(ModelRef.parse(t.get("model")), Device.parse(t.get("device"))));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "ignoring unreadable alias {0}: {1}", a, e.getMessage());
            }
        });
        return Map.copyOf(m);
    }

    /** A new home's aliases (none switched yet): {@code alias=name@version} entries; bad ones are logged and skipped. */
    static Map<String, AliasTarget> defaultAliases(String[] entries) {
        Map<String, AliasTarget> m = new TreeMap<>();
        for (String e : entries == null ? new String[0] : entries) {
            int eq = e.indexOf('=');
            try {
                String alias = e.substring(0, eq).trim();
                if (!STANDARD_ALIASES.containsKey(alias)) {
                    throw new IllegalArgumentException("unknown alias " + alias);
                }
                m.put(alias, new AliasTarget(ModelRef.parse(e.substring(eq + 1).trim()), Device.AUTO));
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "ignoring default alias ''{0}'': {1}", e, ex.getMessage());
            }
        }
        return Map.copyOf(m);
    }

    /** Before the flip: when the shared state cannot take the switch, nothing changes anywhere. */
    private void saveAliases(Map<String, AliasTarget> m, Map<String, AliasTarget> before) {
        if (state == null) {
            return;
        }
        Map<String, String> puts = new TreeMap<>();
        try {
            for (Map.Entry<String, AliasTarget> e : m.entrySet()) {
                puts.put(e.getKey(), Mappers.json().writeValueAsString(Map.of("model", e.getValue().ref().toString(),
                        "device", e.getValue().device().name().toLowerCase(Locale.ROOT))));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Set<String> removed = new TreeSet<>(before.keySet());
        removed.removeAll(m.keySet());
        state.write(hub.api.state.StateKind.ALIASES, puts, removed);
    }

    // ---- events ----

    private void post(String topic, ModelRef ref, Device device, String reason) {
        post(topic, ref, device, reason, -1);
    }

    private void post(String topic, ModelRef ref, Device device, String reason, long millis) {
        EventAdmin ea = events;
        if (ea == null) {
            return;
        }
        Map<String, Object> p = new HashMap<>();
        p.put(HubEvents.MODEL, ref.name());
        p.put(HubEvents.VERSION, ref.version());
        p.put(HubEvents.DEVICE, device.name().toLowerCase(Locale.ROOT));
        if (reason != null) {
            p.put(HubEvents.REASON, reason);
        }
        if (millis >= 0) {
            p.put(HubEvents.DURATION_MS, millis);
        }
        ea.postEvent(new Event(topic, p));
    }

    private void postSwitch(Map<String, ModelRef> active) {
        EventAdmin ea = events;
        if (ea != null) {
            Map<String, Object> p = new HashMap<>();
            active.forEach((a, r) -> p.put(a, r.toString()));
            ea.postEvent(new Event(HubEvents.SWITCH_TOPIC, p));
        }
    }
}
