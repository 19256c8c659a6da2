package hub.core.internal.runtime;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import hub.api.ArtifactSpec;
import hub.api.Device;
import hub.api.DeviceInfo;
import hub.api.DeviceSelection;
import hub.api.DeviceService;
import hub.api.Family;
import hub.api.HubException;
import hub.api.LoaderUnavailableException;
import hub.api.ModelDescriptor;
import hub.api.ModelLease;
import hub.api.ModelRef;
import hub.api.ModelStatus;
import hub.api.SwitchException;
import hub.api.SwitchResult;
import hub.api.UnloadResult;
import hub.api.spi.LoadRequest;
import hub.api.spi.LoadedModel;
import hub.api.spi.ModelLoader;
import hub.core.internal.Configs;
import hub.core.internal.catalog.CatalogRegistry;
import hub.core.internal.home.HubHome;
import hub.core.internal.store.FileArtifactStore;
import hub.core.internal.store.Sha256ChecksumService;
import hub.core.internal.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The facade's mechanics with a real catalog and store, an adjustable clock and a counting loader (real models are
 * opened by the loader bundles' own tests).
 */
public class DefaultModelHubTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** Counts opens and closes; a file whose first byte is 0 is "corrupt"; opening takes a moment. */
    static final class CountingLoader implements ModelLoader {
        final Map<ModelRef, AtomicInteger> opened = new ConcurrentHashMap<>();
        final Map<ModelRef, AtomicInteger> closed = new ConcurrentHashMap<>();
        final Map<ModelRef, String> openedOn = new ConcurrentHashMap<>();

        int opened(String ref) {
            return opened.getOrDefault(ModelRef.parse(ref), new AtomicInteger()).get();
        }

        int closed(String ref) {
            return closed.getOrDefault(ModelRef.parse(ref), new AtomicInteger()).get();
        }

        @Override
        public LoadedModel open(LoadRequest request) throws Exception {
            ModelRef ref = request.descriptor().ref();
            opened.computeIfAbsent(ref, k -> new AtomicInteger()).incrementAndGet();
            openedOn.put(ref, Thread.currentThread().getName());
            Thread.sleep(50);
            if (Files.readAllBytes(request.modelFile())[0] == 0) {
                throw new IllegalArgumentException("not an ONNX model: " + request.modelFile().getFileName());
            }
            AtomicBoolean open = new AtomicBoolean(true);
            long size = Files.size(request.modelFile());
            return new LoadedModel() {
                @Override
                public Device device() {
                    return request.device();
                }

                @Override
                public long memoryBytes() {
                    return size; // exact, so that budget tests do not depend on the process's memory noise
                }

                @Override
                public <T> Optional<T> task(Class<T> type) {
                    if (!open.get()) {
                        throw new IllegalStateException(ref + " used after close");
                    }
                    return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
                }

                @Override
                public void close() {
                    open.set(false);
                    closed.computeIfAbsent(ref, k -> new AtomicInteger()).incrementAndGet();
                }
            };
        }
    }

    private CatalogRegistry registry;
    private FileArtifactStore store;
    private DefaultModelHub hub;
    private HubHome home;
    private final CountingLoader loader = new CountingLoader();
    private final MutableClock clock = new MutableClock();
    private final ModelRef ref = ModelRef.parse("m@1");

    @Before
    public void setUp() throws Exception {
        home = HubHome.at(tmp.newFolder("home").toPath());
        registry = new CatalogRegistry(home);
        model("m", "1", "detection", 400_000, (byte) 1);
        model("n", "1", "detection", 400_000, (byte) 1);
        model("o", "1", "detection", 400_000, (byte) 1);
        model("broken", "1", "detection", 1000, (byte) 0);
        model("cls", "1", "classification", 1000, (byte) 1);
        store = new FileArtifactStore(registry, new Sha256ChecksumService(), home, Configs.of(StoreConfig.class, Map.of()));
        hub = hub(Map.of());
    }

    private DefaultModelHub hub(Map<String, Object> config) {
        DeviceService cpuOnly = new DeviceService() {
            @Override
            public DeviceInfo info() {
                return new DeviceInfo("test", List.of("CPU"), false, List.of(), Device.CPU, "no GPU");
            }

            @Override
            public DeviceSelection resolve(Device requested) {
                return new DeviceSelection(requested, Device.CPU, requested == Device.GPU
                        ? "GPU requested but unusable, falling back to CPU: no GPU" : "CPU", requested == Device.GPU);
            }
        };
        Map<String, Object> settings = new java.util.HashMap<>(config);
        settings.putIfAbsent("defaultAliases", new String[0]); // these tests switch their own models in
        DefaultModelHub h = new DefaultModelHub(registry, store, cpuOnly, home.state().resolve("aliases.json"),
                Configs.of(RuntimeConfig.class, settings), clock, () -> 0.1, false);
        h.addLoader(loader, Map.of(ModelLoader.FAMILY_PROPERTY, "detection"));
        h.addLoader(loader, Map.of(ModelLoader.FAMILY_PROPERTY, "classification"));
        return h;
    }

    private void model(String name, String version, String family, int size, byte first) throws Exception {
        Path file = tmp.getRoot().toPath().resolve(name + "-" + version + ".onnx");
        byte[] data = new byte[size];
        data[0] = first;
        Files.write(file, data);
        registry.register(new ModelDescriptor(name, version, Family.of(family), null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", file.toUri(), null, size, null)), null, null));
    }

    DefaultModelHub hub() {
        return hub;
    }

    @After
    public void tearDown() {
        hub.deactivate();
        store.close();
    }

    @Test
    public void sixtyFourThreadsAskingAtOnceLoadOnceAndShareTheInstance() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ModelLease>> leases = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            leases.add(pool.submit(() -> {
                go.await();
                return hub.load(ref, Device.AUTO);
            }));
        }
        go.countDown();
        Object first = null;
        for (Future<ModelLease> f : leases) {
            Object model = f.get().require(LoadedModel.class);
            first = first == null ? model : first;
            assertSame(first, model);
        }
        pool.shutdown();
        assertEquals(1, loader.opened("m@1"));
        assertEquals(64, hub.loaded().get(0).openLeases());
        assertEquals(64, hub.loaded().get(0).leasesServed());
        assertEquals(ModelStatus.LOADED, hub.info(ref).status());
        for (Future<ModelLease> f : leases) {
            f.get().close();
        }
        assertEquals(0, hub.loaded().get(0).openLeases());
        assertEquals(0, loader.closed("m@1"));
    }

    @Test
    public void unloadWaitsForTheLastLeaseAndLoadedFilesArePinned() {
        ModelLease lease = hub.load(ref, Device.CPU);
        assertTrue(store.cacheInfo().entries().stream().filter(e -> e.ref().equals(ref)).findFirst().orElseThrow().pinned());
        UnloadResult r = hub.unload(ref);
        assertEquals(UnloadResult.Outcome.DEFERRED, r.outcome());
        assertEquals(0, loader.closed("m@1"));
        lease.close();
        lease.close();
        assertEquals(1, loader.closed("m@1"));
        assertFalse(store.cacheInfo().entries().stream().filter(e -> e.ref().equals(ref)).findFirst().orElseThrow().pinned());
        assertEquals(UnloadResult.Outcome.NOT_LOADED, hub.unload(ref).outcome());
        ModelLease again = hub.load(ref, Device.CPU);
        again.close();
        assertEquals(UnloadResult.Outcome.UNLOADED, hub.unload(ref).outcome());
        assertThrows(IllegalStateException.class, () -> again.task(LoadedModel.class));
    }

    @Test
    public void gpuRequestedWithoutAGpuRunsOnTheCpu() {
        try (ModelLease lease = hub.load(ref, Device.GPU)) {
            assertEquals(Device.CPU, lease.device());
        }
    }

    @Test
    public void idleModelsUnloadAfterTheirDeviceTimeoutUnlessKeptAliveOrPinned() {
        hub.deactivate();
        hub = hub(Map.of("keepAlive", new String[] {"n=120"}, "pinned", new String[] {"o"}));
        for (String r : List.of("m@1", "n@1", "o@1")) {
            hub.load(ModelRef.parse(r), Device.CPU).close();
        }
        ModelLease held = hub.load(ModelRef.parse("cls@1"), Device.CPU);
        clock.advance(Duration.ofMinutes(29));
        hub.sweep();
        assertEquals(4, hub.loaded().size());
        clock.advance(Duration.ofMinutes(2));
        hub.sweep();
        assertEquals(1, loader.closed("m@1"));
        assertEquals(0, loader.closed("n@1"));
        assertEquals(0, loader.closed("o@1"));
        assertEquals("a model with an open lease is never idle", 0, loader.closed("cls@1"));
        clock.advance(Duration.ofMinutes(120));
        hub.sweep();
        assertEquals(1, loader.closed("n@1"));
        assertEquals(0, loader.closed("o@1"));
        held.close();
    }

    @Test
    public void pastTheBudgetTheLeastRecentlyUsedIdleModelGoesFirst() {
        hub.deactivate();
        hub = hub(Map.of("cpuBudgetMb", 1L)); // 1 MiB: two 400 KB models fit, three do not
        hub.load(ModelRef.parse("m@1"), Device.CPU).close();
        clock.advance(Duration.ofSeconds(1));
        hub.load(ModelRef.parse("n@1"), Device.CPU).close();
        clock.advance(Duration.ofSeconds(1));
        hub.load(ModelRef.parse("m@1"), Device.CPU).close(); // m is now the more recently used
        clock.advance(Duration.ofSeconds(1));
        hub.load(ModelRef.parse("o@1"), Device.CPU).close();
        assertEquals(1, loader.closed("n@1"));
        assertEquals(0, loader.closed("m@1"));
        ModelLease m = hub.load(ModelRef.parse("m@1"), Device.CPU);
        ModelLease o = hub.load(ModelRef.parse("o@1"), Device.CPU);
        HubException e = assertThrows(HubException.class, () -> hub.load(ModelRef.parse("n@1"), Device.CPU));
        assertTrue(e.getMessage(), e.getMessage().contains("memory budget"));
        m.close();
        o.close();
    }

    @Test
    public void memoryPressureUnloadsIdleModelsUntilBelowTheThreshold() {
        AtomicInteger probes = new AtomicInteger();
        hub.deactivate();
        // the process is over the 0.85 threshold until one model has gone
        hub = new DefaultModelHub(registry, store, hubDevices(), home.state().resolve("aliases.json"),
                Configs.of(RuntimeConfig.class, Map.of("defaultAliases", new String[0])), clock,
                () -> probes.incrementAndGet() <= 1 ? 0.95 : 0.5, false);
        hub.addLoader(loader, Map.of(ModelLoader.FAMILY_PROPERTY, "detection"));
        hub.load(ModelRef.parse("m@1"), Device.CPU).close();
        clock.advance(Duration.ofSeconds(1));
        hub.load(ModelRef.parse("n@1"), Device.CPU).close();
        hub.sweep();
        assertEquals("only the least recently used model went", List.of(ModelRef.parse("n@1")),
                hub.loaded().stream().map(i -> i.ref()).toList());
    }

    @Test
    public void aPinIsSharedStateThatAnotherHubOnTheSameStoreHolds() {
        DefaultModelHub other = new DefaultModelHub(registry, store, hubDevices(), home.state().resolve("aliases.json"),
                Configs.of(RuntimeConfig.class, Map.of("defaultAliases", new String[0])), clock, () -> 0.1, false);
        try {
            ModelRef m = ModelRef.parse("m@1");
            assertNotNull(other.idleTimeout(m, Device.CPU));
            hub.pin(m);
            assertNull("pinned: no idle timeout, on the other hub too", other.idleTimeout(m, Device.CPU));
            assertTrue(java.nio.file.Files.exists(home.state().resolve("shared-pins.json")));
            other.unpin(m);
            assertNotNull(hub.idleTimeout(m, Device.CPU));
        } finally {
            other.deactivate();
        }
    }

    private DeviceService hubDevices() {
        return new DeviceService() {
            @Override
            public DeviceInfo info() {
                return new DeviceInfo("test", List.of("CPU"), false, List.of(), Device.CPU, "no GPU");
            }

            @Override
            public DeviceSelection resolve(Device requested) {
                return new DeviceSelection(requested, Device.CPU, "CPU", false);
            }
        };
    }

    @Test
    public void aForgottenLeaseIsReleasedOnceUnreachable() throws Exception {
        forget();
        await("the forgotten lease released", () -> {
            System.gc();
            return hub.loaded().get(0).openLeases() == 0;
        });
    }

    private void forget() {
        hub.load(ref, Device.CPU).require(LoadedModel.class); // never closed
    }

    @Test
    public void aSwitchUnderLoadFailsNoRequestAndClosesTheOldModelAfterItsLeasesDrain() throws Exception {
        hub.switchModels(Map.of("detector", ModelRef.parse("m@1")), Device.AUTO);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong served = new AtomicLong();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Map<ModelRef, AtomicLong> byModel = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        for (int i = 0; i < 6; i++) {
            pool.submit(() -> {
                while (!stop.get()) {
                    try (ModelLease l = hub.lease("detector", null)) {
                        l.require(LoadedModel.class); // a request: uses the model while holding the lease
                        Thread.sleep(1);
                        byModel.computeIfAbsent(l.descriptor().ref(), k -> new AtomicLong()).incrementAndGet();
                        served.incrementAndGet();
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }
                return null;
            });
        }
        Thread.sleep(200);
        SwitchResult r = hub.switchModels(Map.of("detector", ModelRef.parse("n@1")), Device.AUTO);
        assertEquals(ModelRef.parse("m@1"), r.previous().get("detector"));
        Thread.sleep(200);
        stop.set(true);
        pool.shutdown();
        pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(List.of(), failures);
        assertTrue(byModel.get(ModelRef.parse("m@1")).get() > 0 && byModel.get(ModelRef.parse("n@1")).get() > 0);
        assertEquals("old model closed once drained", 1, loader.closed("m@1"));
        assertEquals(0, loader.closed("n@1"));
        assertEquals(Map.of("detector", ModelRef.parse("n@1")), hub.aliases());
        // aliases persist: a new hub on the same home knows them
        DefaultModelHub restarted = hub(Map.of());
        assertEquals(Map.of("detector", ModelRef.parse("n@1")), restarted.aliases());
        restarted.deactivate();
    }

    @Test
    public void aSwitchToABrokenOrWrongModelChangesNothingAndFailsNoRequest() throws Exception {
        hub.switchModels(Map.of("detector", ModelRef.parse("m@1")), Device.AUTO);
        try (ModelLease during = hub.lease("detector", null)) {
            SwitchException e = assertThrows(SwitchException.class, () -> hub.switchModels(
                    Map.of("detector", ModelRef.parse("broken@1"), "classifier", ModelRef.parse("cls@1")), Device.AUTO));
            assertTrue(e.getMessage(), e.getMessage().contains("broken@1") && e.getMessage().contains("not an ONNX model"));
            assertEquals(10, e.exitCode());
            during.require(LoadedModel.class);
        }
        assertEquals(Map.of("detector", ModelRef.parse("m@1")), hub.aliases());
        assertTrue("the classifier loaded for the failed switch is unloaded again",
                hub.loaded().stream().noneMatch(i -> i.ref().name().equals("cls")));
        SwitchException wrong = assertThrows(SwitchException.class,
                () -> hub.switchModels(Map.of("detector", ModelRef.parse("cls@1"), "ocr", ModelRef.parse("nope")), Device.AUTO));
        assertEquals(wrong.failures().toString(), 2, wrong.failures().size());
        assertTrue(wrong.getMessage(), wrong.getMessage().contains("does not fit alias detector"));
        try (ModelLease after = hub.lease("detector", null)) {
            assertEquals(ModelRef.parse("m@1"), after.descriptor().ref());
        }
        assertThrows(hub.api.ModelNotFoundException.class, () -> hub.lease("face", null));
    }

    @Test
    public void aLoaderLeavingClosesItsModelsAndTheFamilyBecomesUnavailable() {
        hub.load(ref, Device.CPU).close();
        hub.removeLoader(loader);
        assertEquals(1, loader.closed("m@1"));
        assertTrue(hub.loaded().isEmpty());
        assertFalse(hub.availableFamilies().contains(Family.DETECTION));
        assertThrows(LoaderUnavailableException.class, () -> hub.load(ref, Device.CPU));
        assertFalse(hub.info(ref).loaderAvailable());
    }

    private static void await(String what, BooleanSupplier c) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(20);
        }
    }


    private int mostLoadsAtOnce(DefaultModelHub h) throws Exception {
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            for (String m : List.of("m@1", "n@1", "o@1")) {
                done.add(pool.submit(() -> {
                    go.await();
                    h.load(ModelRef.parse(m), Device.CPU).close();
                    return null;
                }));
            }
            go.countDown();
            for (var f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return h.concurrentLoads.get();
    }

    @Test
    public void concurrentLoadsAreLimitedByConfiguration() throws Exception {
        DefaultModelHub one = hub(Map.of("maxConcurrentLoads", 1));
        assertEquals("with a limit of 1, loads run one at a time", 1, mostLoadsAtOnce(one));
        assertEquals(3, loader.opened("m@1") + loader.opened("n@1") + loader.opened("o@1"));
        DefaultModelHub three = hub(Map.of("maxConcurrentLoads", 3));
        assertTrue("with a limit of 3, loads overlap", mostLoadsAtOnce(three) >= 2);
    }

    @Test
    public void aNewHomeHasTheDefaultAliasesAndBadDefaultsAreSkipped() {
        Map<String, DefaultModelHub.AliasTarget> d = DefaultModelHub.defaultAliases(
                new String[] {"detector=yolov8n@8.2.0", "nonsense", "detectr=x@1", "ocr=pp-ocrv4@1.2.2"});
        assertEquals(Set.of("detector", "ocr"), d.keySet());
        assertEquals(ModelRef.parse("yolov8n@8.2.0"), d.get("detector").ref());
        assertEquals(Set.of("classifier", "detector", "embedder", "face", "ocr"),
                DefaultModelHub.defaultAliases(Configs.of(RuntimeConfig.class, Map.of()).defaultAliases()).keySet());
    }

    @Test
    public void aSwitchLoadsOnTheRuntimesOwnThreadsNotTheCommonPool() throws Exception {
        hub = hub(Map.of("maxConcurrentLoads", 2));
        hub.switchModels(Map.of("detector", ModelRef.parse("m@1"), "classifier", ModelRef.parse("cls@1")), Device.AUTO);
        assertTrue(loader.openedOn.toString(), loader.openedOn.get(ModelRef.parse("m@1")).startsWith("hub-model-load-"));
        assertTrue(loader.openedOn.toString(), loader.openedOn.get(ModelRef.parse("cls@1")).startsWith("hub-model-load-"));
    }
}
