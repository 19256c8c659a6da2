package hub.embedding.internal;

import hub.api.Device;
import hub.api.HubException;
import hub.api.LoadedModelInfo;
import hub.api.ModelHub;
import hub.api.ModelRef;
import hub.api.UnloadResult;
import hub.api.embedding.EmbeddingModelUsage;
import hub.api.embedding.EmbeddingRegistry;
import hub.api.embedding.EmbeddingResult;
import hub.api.embedding.EmbeddingServiceInfo;
import hub.api.embedding.VisionEmbeddingService;
import hub.api.task.ImageInput;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The whiteboard of {@link VisionEmbeddingService}s: every one registered in the framework, by any bundle, is listed,
 * run with usage tracking, and given a Felix health check of its own ({@code hc.tags=hub,embedding}); its models are
 * unloaded through the runtime on request.
 */
@Component(service = EmbeddingRegistry.class, immediate = true)
public class EmbeddingRegistryImpl implements EmbeddingRegistry {
    /** Health check tags of the embedding services' checks. */
    static final String[] HC_TAGS = {"hub", "embedding"};

    /** A registered service, got from its bundle when first asked for (listing does not activate it). */
    private static final class Entry {
        private final ComponentServiceObjects<VisionEmbeddingService> objects;
        private final java.util.function.Supplier<VisionEmbeddingService> service;
        private final String bundle;

        Entry(ComponentServiceObjects<VisionEmbeddingService> objects, String bundle) {
            this.objects = objects;
            this.service = memo(objects);
            this.bundle = bundle;
        }

        VisionEmbeddingService service() {
            return service.get();
        }

        String bundle() {
            return bundle;
        }
    }

    /** A service behind a reference, got on first use and kept (DS releases it with this component). */
    static <T> java.util.function.Supplier<T> memo(ComponentServiceObjects<T> objects) {
        return new java.util.function.Supplier<>() {
            private volatile T got;

            @Override
            public synchronized T get() {
                if (got == null) {
                    got = objects.getService();
                }
                return got;
            }
        };
    }

    private static final class Usage {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong images = new AtomicLong();
        volatile Instant lastUsed;
    }

    private final java.util.function.Supplier<ModelHub> runtime;
    private final Clock clock;
    private final Map<String, Entry> services = new ConcurrentSkipListMap<>();
    private final Map<String, ServiceRegistration<HealthCheck>> checks = new ConcurrentHashMap<>();
    private final Map<String, Usage> usage = new ConcurrentHashMap<>();
    private volatile BundleContext context;

    /**
     * @param hub the model runtime, got when first needed: the registry starts without activating it
     * @param bc this bundle's context, where the health checks are registered
     */
    @Activate
    public EmbeddingRegistryImpl(@Reference ComponentServiceObjects<ModelHub> hub, BundleContext bc) {
        this(memo(hub), bc);
    }

    EmbeddingRegistryImpl(java.util.function.Supplier<ModelHub> hub, BundleContext bc) {
        this.runtime = hub;
        this.clock = Clock.systemUTC();
        this.context = bc;
    }

    @Deactivate
    void deactivate() {
        context = null;
        checks.values().forEach(EmbeddingRegistryImpl::unregister);
        checks.clear();
    }

    @Reference(service = VisionEmbeddingService.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "removeService")
    void addService(ComponentServiceObjects<VisionEmbeddingService> objects) {
        ServiceReference<VisionEmbeddingService> ref = objects.getServiceReference();
        Entry entry = new Entry(objects, ref.getBundle() == null ? "?" : ref.getBundle().getSymbolicName());
        String id = id(entry, ref);
        services.put(id, entry);
        if (context != null) {
            registerCheck(id);
        }
    }

    void removeService(ComponentServiceObjects<VisionEmbeddingService> objects) {
        ServiceReference<VisionEmbeddingService> ref = objects.getServiceReference();
        Entry e = services.values().stream().filter(x -> x.objects.getServiceReference().equals(ref)).findFirst()
                .orElse(null);
        String id = e == null ? null : services.entrySet().stream().filter(x -> x.getValue() == e)
                .map(Map.Entry::getKey).findFirst().orElse(null);
        if (e != null && id != null && services.remove(id, e)) {
            ServiceRegistration<HealthCheck> reg = checks.remove(id);
            if (reg != null) {
                unregister(reg);
            }
        }
    }

    private static String id(Entry entry, ServiceReference<?> ref) {
        Object p = ref.getProperty(VisionEmbeddingService.ID);
        return p != null ? p.toString() : entry.service().id();
    }

    private void registerCheck(String id) {
        BundleContext bc = context;
        if (bc == null || checks.containsKey(id)) {
            return;
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HealthCheck.NAME, "embedding service " + id);
        props.put(HealthCheck.TAGS, HC_TAGS);
        props.put(VisionEmbeddingService.ID, id);
        HealthCheck check = () -> {
            Entry e = services.get(id);
            if (e == null) {
                return new Result(Result.Status.CRITICAL, "embedding service " + id + " is gone");
            }
            try {
                var h = e.service().health();
                return new Result(h.healthy() ? Result.Status.OK : Result.Status.CRITICAL, h.reason());
            } catch (RuntimeException ex) {
                return new Result(Result.Status.HEALTH_CHECK_ERROR, "health of " + id + " failed: " + ex.getMessage());
            }
        };
        checks.put(id, bc.registerService(HealthCheck.class, check, props));
    }

    private static void unregister(ServiceRegistration<?> reg) {
        try {
            reg.unregister();
        } catch (IllegalStateException e) {
            // already gone with its bundle
        }
    }

    @Override
    public List<EmbeddingServiceInfo> services() {
        List<EmbeddingServiceInfo> out = new ArrayList<>();
        services.forEach((id, e) -> {
            VisionEmbeddingService s = e.service();
            out.add(new EmbeddingServiceInfo(id, e.bundle(), s.metadata(), s.models(), s.defaultModel(), s.health()));
        });
        return out;
    }

    @Override
    public Optional<VisionEmbeddingService> service(String id) {
        return Optional.ofNullable(services.get(id)).map(Entry::service);
    }

    @Override
    public List<EmbeddingResult> embed(String service, String model, List<ImageInput> images, int batchSize) {
        Map.Entry<String, Entry> chosen = choose(service);
        VisionEmbeddingService s = chosen.getValue().service();
        String m = model == null || model.isBlank() ? s.defaultModel() : model;
        List<EmbeddingResult> results = s.embedDetailed(images, m, batchSize);
        String used = results.stream().map(EmbeddingResult::model).filter(x -> x != null).findFirst().orElse(m);
        Usage u = usage.computeIfAbsent(key(chosen.getKey(), used), k -> new Usage());
        u.requests.incrementAndGet();
        u.images.addAndGet(images.size());
        u.lastUsed = clock.instant();
        return results;
    }

    private Map.Entry<String, Entry> choose(String service) {
        if (service == null || service.isBlank()) {
            return services.entrySet().stream().findFirst()
                    .orElseThrow(() -> new HubException("no embedding service is registered"));
        }
        Entry e = services.get(service);
        if (e == null) {
            throw new HubException("no embedding service '" + service + "' (registered: "
                    + (services.isEmpty() ? "none" : String.join(", ", services.keySet())) + ")");
        }
        return Map.entry(service, e);
    }

    private static String key(String service, String model) {
        return service + "\u0000" + model;
    }

    /** Model references per service: those it offers and those used through it. */
    private Map<String, Set<String>> modelsByService() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        services.forEach((id, e) -> {
            Set<String> refs = out.computeIfAbsent(id, k -> new LinkedHashSet<>());
            try {
                e.service().models().forEach(m -> refs.add(m.model()));
            } catch (RuntimeException ex) {
                // a failing service still has its used models below
            }
        });
        usage.keySet().forEach(k -> {
            String[] sm = k.split("\u0000", 2);
            out.computeIfAbsent(sm[0], x -> new LinkedHashSet<>()).add(sm[1]);
        });
        return out;
    }

    private static boolean same(ModelRef loaded, String model) {
        ModelRef m = ModelRef.parse(model);
        return loaded.name().equals(m.name()) && (m.version() == null || m.version().equals(loaded.version()));
    }

    /** Loaded runtime models that belong to an embedding service (all of them, or one service's). */
    private List<LoadedModelInfo> loadedEmbeddingModels(String onlyService) {
        Set<String> refs = new LinkedHashSet<>();
        modelsByService().forEach((id, models) -> {
            if (onlyService == null || onlyService.equals(id)) {
                refs.addAll(models);
            }
        });
        List<LoadedModelInfo> out = new ArrayList<>();
        for (LoadedModelInfo info : runtime.get().loaded()) {
            if (refs.stream().anyMatch(r -> same(info.ref(), r))) {
                out.add(info);
            }
        }
        return out;
    }

    @Override
    public List<EmbeddingModelUsage> usage() {
        List<EmbeddingModelUsage> out = new ArrayList<>();
        List<LoadedModelInfo> loaded = runtime.get().loaded();
        modelsByService().forEach((service, models) -> {
            for (String model : models) {
                Usage u = usage.get(key(service, model));
                Optional<LoadedModelInfo> l = loaded.stream().filter(i -> same(i.ref(), model)).findFirst();
                out.add(new EmbeddingModelUsage(service, model, u == null ? 0 : u.requests.get(),
                        u == null ? 0 : u.images.get(), u == null ? null : u.lastUsed, l.isPresent(),
                        l.map(LoadedModelInfo::device).orElse(null), l.map(LoadedModelInfo::memoryBytes).orElse(0L)));
            }
        });
        return out;
    }

    private List<UnloadResult> unload(List<LoadedModelInfo> models) {
        List<UnloadResult> out = new ArrayList<>();
        for (LoadedModelInfo m : models) {
            out.add(runtime.get().unload(m.ref()));
        }
        return out;
    }

    @Override
    public List<UnloadResult> unloadAll() {
        return unload(loadedEmbeddingModels(null));
    }

    @Override
    public List<UnloadResult> unloadService(String service) {
        choose(service);
        return unload(loadedEmbeddingModels(service));
    }

    @Override
    public List<UnloadResult> unloadModel(String model) {
        return unload(loadedEmbeddingModels(null).stream().filter(i -> same(i.ref(), model)).toList());
    }

    /** Idle (no open lease, not pinned) embedding models, least recently used first. */
    private List<LoadedModelInfo> idleByLastUse() {
        return loadedEmbeddingModels(null).stream().filter(i -> i.openLeases() == 0 && !i.pinned())
                .sorted(Comparator.comparing(LoadedModelInfo::lastUsed)).toList();
    }

    @Override
    public List<UnloadResult> unloadUnderPressure(double threshold) {
        List<UnloadResult> out = new ArrayList<>();
        for (LoadedModelInfo m : idleByLastUse()) {
            if (runtime.get().memoryUsage(m.device()) <= threshold) {
                continue;
            }
            out.add(runtime.get().unload(m.ref()));
        }
        return out;
    }

    @Override
    public List<UnloadResult> unloadIdle(Duration cpuIdle, Duration gpuIdle) {
        Instant now = clock.instant();
        List<UnloadResult> out = new ArrayList<>();
        for (LoadedModelInfo m : idleByLastUse()) {
            Duration limit = m.device() == Device.GPU ? gpuIdle : cpuIdle;
            if (limit != null && Duration.between(m.lastUsed(), now).compareTo(limit) >= 0) {
                out.add(runtime.get().unload(m.ref()));
            }
        }
        return out;
    }

    @Override
    public List<UnloadResult> unloadLeastRecentlyUsed(long bytes) {
        List<UnloadResult> out = new ArrayList<>();
        long freed = 0;
        for (LoadedModelInfo m : idleByLastUse()) {
            if (freed >= bytes) {
                break;
            }
            out.add(runtime.get().unload(m.ref()));
            freed += Math.max(1, m.memoryBytes()); // a model of unknown size still frees something
        }
        return out;
    }
}
