package hub.core.internal.runtime;

import static org.junit.Assert.assertEquals;
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
import hub.api.LoaderUnavailableException;
import hub.api.ModelDescriptor;
import hub.api.ModelLease;
import hub.api.ModelRef;
import hub.api.ModelStatus;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The facade's mechanics with a real catalog and store and a counting loader (real model loading is in the loaders). */
public class DefaultModelHubTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Counts opens and closes; opening takes a moment so that concurrent first loads overlap. */
    static final class CountingLoader implements ModelLoader {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public LoadedModel open(LoadRequest request) throws Exception {
            opened.incrementAndGet();
            Thread.sleep(100);
            assertTrue(Files.isRegularFile(request.modelFile()));
            return new LoadedModel() {
                @Override
                public Device device() {
                    return request.device();
                }

                @Override
                public <T> Optional<T> task(Class<T> type) {
                    return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }
    }

    private FileArtifactStore store;
    private DefaultModelHub hub;
    private final CountingLoader loader = new CountingLoader();
    private final ModelRef ref = ModelRef.parse("m@1");

    @Before
    public void setUp() throws Exception {
        HubHome home = new HubHome(tmp.newFolder("home").toPath());
        CatalogRegistry registry = new CatalogRegistry(home);
        Path file = tmp.newFile("m.onnx").toPath();
        Files.write(file, new byte[] {1, 2, 3});
        registry.register(new ModelDescriptor("m", "1", Family.DETECTION, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", file.toUri(), null, 3, null)), null, null));
        store = new FileArtifactStore(registry, new Sha256ChecksumService(), home, Configs.of(StoreConfig.class, Map.of()));
        DeviceService cpuOnly = new DeviceService() {
            @Override
            public DeviceInfo info() {
                return new DeviceInfo("test", List.of("CPU"), false, List.of(), Device.CPU, "test");
            }

            @Override
            public DeviceSelection resolve(Device requested) {
                return new DeviceSelection(requested, Device.CPU, "test", requested == Device.GPU);
            }
        };
        hub = new DefaultModelHub(registry, store, cpuOnly, Configs.of(RuntimeConfig.class, Map.of()));
        hub.addLoader(loader, Map.of(ModelLoader.FAMILY_PROPERTY, "detection"));
    }

    @After
    public void tearDown() {
        hub.deactivate();
        store.close();
    }

    @Test
    public void concurrentFirstLoadsOpenOnceAndShareTheInstance() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ModelLease>> leases = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
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
        assertEquals(1, loader.opened.get());
        assertEquals(8, hub.loaded().get(0).openLeases());
        assertEquals(ModelStatus.LOADED, hub.info(ref).status());
        for (Future<ModelLease> f : leases) {
            f.get().close();
        }
        assertEquals(0, hub.loaded().get(0).openLeases());
        assertEquals(0, loader.closed.get());
    }

    @Test
    public void unloadWaitsForTheLastLeaseAndLoadedFilesArePinned() {
        ModelLease lease = hub.load(ref, Device.CPU);
        assertTrue(store.cacheInfo().entries().get(0).pinned());
        UnloadResult r = hub.unload(ref);
        assertEquals(UnloadResult.Outcome.DEFERRED, r.outcome());
        assertEquals(1, r.openLeases());
        assertEquals(0, loader.closed.get());
        lease.close();
        lease.close(); // idempotent
        assertEquals(1, loader.closed.get());
        assertFalse(store.cacheInfo().entries().get(0).pinned());
        assertEquals(UnloadResult.Outcome.NOT_LOADED, hub.unload(ref).outcome());
        ModelLease again = hub.load(ref, Device.CPU);
        assertEquals(2, loader.opened.get());
        again.close();
        assertEquals(UnloadResult.Outcome.UNLOADED, hub.unload(ref).outcome());
        assertThrows(IllegalStateException.class, () -> again.task(LoadedModel.class));
    }

    @Test
    public void aLoaderLeavingClosesItsModelsAndTheFamilyBecomesUnavailable() {
        ModelLease lease = hub.load(ref, Device.CPU);
        lease.close();
        hub.removeLoader(loader);
        assertEquals(1, loader.closed.get());
        assertTrue(hub.loaded().isEmpty());
        assertFalse(hub.availableFamilies().contains(Family.DETECTION));
        assertThrows(LoaderUnavailableException.class, () -> hub.load(ref, Device.CPU));
        assertFalse(hub.info(ref).loaderAvailable());
    }
}
