package hub.core.internal.runtime;

import hub.api.ArtifactStore;
import hub.api.Device;
import hub.api.DeviceSelection;
import hub.api.DeviceService;
import hub.api.Family;
import hub.api.HubException;
import hub.api.LoadedModelInfo;
import hub.api.LoaderUnavailableException;
import hub.api.LocalModel;
import hub.api.ModelDescriptor;
import hub.api.ModelHub;
import hub.api.ModelInfo;
import hub.api.ModelLease;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import hub.api.ModelStatus;
import hub.api.ProgressListener;
import hub.api.UnloadResult;
import hub.api.spi.LoadRequest;
import hub.api.spi.LoadedModel;
import hub.api.spi.ModelLoader;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The hub facade and the only consumer of the loader whiteboard. Each model version and device is loaded once and
 * shared through leases; concurrent first calls wait on one load. When a loader goes away (its bundle stopped or
 * uninstalled) the models it opened are closed, since their classes go with it.
 */
@Component(service = ModelHub.class, configurationPid = "hub.runtime")
@Designate(ocd = RuntimeConfig.class)
public class DefaultModelHub implements ModelHub {
    private static final System.Logger LOG = System.getLogger(DefaultModelHub.class.getName());

    /** A registered loader with its ranking, for picking the best of several. */
    private record LoaderEntry(ModelLoader loader, Family family, int ranking, long serviceId) {
    }

    private record Key(ModelRef ref, Device device) {
    }

    private final ModelRegistry registry;
    private final ArtifactStore store;
    private final DeviceService devices;
    private final List<LoaderEntry> loaders = new CopyOnWriteArrayList<>();
    private final Map<Key, CompletableFuture<LoadedEntry>> loaded = new ConcurrentHashMap<>();
    private volatile RuntimeConfig config;

    /**
     * @param registry catalog
     * @param store artifact store
     * @param devices device service
     * @param config settings
     */
    @Activate
    public DefaultModelHub(@Reference ModelRegistry registry, @Reference ArtifactStore store,
            @Reference DeviceService devices, RuntimeConfig config) {
        this.registry = registry;
        this.store = store;
        this.devices = devices;
        this.config = config;
    }

    @Modified
    void modified(RuntimeConfig newConfig) {
        this.config = newConfig;
    }

    @Deactivate
    void deactivate() {
        for (Key k : List.copyOf(loaded.keySet())) {
            forceClose(k);
        }
    }

    @Reference(service = ModelLoader.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addLoader(ModelLoader loader, Map<String, Object> props) {
        Object fam = props.get(ModelLoader.FAMILY_PROPERTY);
        if (fam == null) {
            LOG.log(Level.WARNING, "ignoring loader {0} without a {1} property", loader, ModelLoader.FAMILY_PROPERTY);
            return;
        }
        Family family = Family.of(fam.toString());
        int ranking = props.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
        long id = props.get(Constants.SERVICE_ID) instanceof Long l ? l : 0;
        loaders.add(new LoaderEntry(loader, family, ranking, id));
        LOG.log(Level.DEBUG, "loader for family {0} available", family);
    }

    void removeLoader(ModelLoader loader) {
        loaders.removeIf(e -> e.loader() == loader);
        for (Map.Entry<Key, CompletableFuture<LoadedEntry>> e : loaded.entrySet()) {
            LoadedEntry le = e.getValue().getNow(null);
            if (le != null && le.loader == loader) {
                forceClose(e.getKey());
            }
        }
    }

    private void forceClose(Key k) {
        CompletableFuture<LoadedEntry> f = loaded.remove(k);
        LoadedEntry le = f == null ? null : f.getNow(null);
        if (le != null) {
            int open = le.requestUnload();
            if (open > 0) {
                LOG.log(Level.WARNING, "{0}: its loader went away with {1} lease(s) open; closing once they close",
                        k.ref(), open);
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

    @Override
    public LocalModel ensureReady(ModelRef ref, ProgressListener listener) {
        return store.pull(ref, listener);
    }

    @Override
    public ModelLease load(ModelRef ref, Device device) {
        ModelDescriptor d = registry.get(ref);
        ModelLoader loader = loaderFor(d);
        DeviceSelection sel = devices.resolve(device == null ? Device.AUTO : device);
        Key key = new Key(d.ref(), sel.device());
        while (true) {
            CompletableFuture<LoadedEntry> f = loaded.computeIfAbsent(key,
                    k -> CompletableFuture.supplyAsync(() -> open(d, loader, sel), Runnable::run));
            LoadedEntry e;
            try {
                e = f.join();
            } catch (CompletionException ex) {
                loaded.remove(key, f);
                throw ex.getCause() instanceof RuntimeException re ? re
                        : new HubException("loading " + d.ref() + " failed: " + ex.getCause(), ex.getCause());
            }
            if (e.acquire()) {
                return new Lease(e, () -> loaded.remove(key, f));
            }
            loaded.remove(key, f);
        }
    }

    private LoadedEntry open(ModelDescriptor d, ModelLoader loader, DeviceSelection sel) {
        LocalModel local = store.pull(d.ref(), ProgressListener.NONE);
        RuntimeConfig c = config;
        long before = usedMemory();
        long start = System.nanoTime();
        LoadedModel model;
        try {
            model = loader.open(new LoadRequest(d, local.files(), sel.device(), c.intraOpThreads(), c.interOpThreads()));
        } catch (HubException e) {
            throw e;
        } catch (Exception e) {
            throw new HubException("loader for " + d.family() + " could not open " + d.ref() + ": " + e.getMessage(), e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        long reported = model.memoryBytes();
        long grown = usedMemory() - before;
        boolean measured = reported >= 0 || grown > 0;
        long memory = reported >= 0 ? reported : grown > 0 ? grown : fileSize(local);
        LOG.log(Level.INFO, "loaded {0} on {1} in {2} ms ({3})", d.ref(), model.device(), took.toMillis(), sel.reason());
        // a loaded model's files stay in the cache: eviction skips pinned versions
        String pin = "loaded:" + model.device().name().toLowerCase(java.util.Locale.ROOT);
        store.pin(d.ref(), pin);
        return new LoadedEntry(d, model, loader, memory, measured, took, () -> store.unpin(d.ref(), pin));
    }

    private static long usedMemory() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static long fileSize(LocalModel local) {
        return local.files().values().stream().mapToLong(p -> {
            try {
                return Files.size(p);
            } catch (java.io.IOException e) {
                return 0;
            }
        }).sum();
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

    @Override
    public List<LoadedModelInfo> loaded() {
        return loaded.values().stream().map(f -> f.getNow(null)).filter(e -> e != null && !e.isClosed())
                .map(LoadedEntry::info).toList();
    }

}
