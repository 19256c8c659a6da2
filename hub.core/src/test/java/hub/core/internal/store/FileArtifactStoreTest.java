package hub.core.internal.store;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import hub.api.ArtifactException;
import hub.api.ArtifactSpec;
import hub.api.CleanupReport;
import hub.api.Family;
import hub.api.LocalModel;
import hub.api.ModelDescriptor;
import hub.api.ModelRef;
import hub.api.ModelStatus;
import hub.api.ProgressListener;
import hub.api.TransferProgress;
import hub.core.internal.Configs;
import hub.core.internal.catalog.CatalogRegistry;
import hub.core.internal.home.HubHome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FileArtifactStoreTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private HubHome home;
    private CatalogRegistry registry;
    private FileArtifactStore store;
    private Path sources;
    private final Sha256ChecksumService checksums = new Sha256ChecksumService();

    @Before
    public void setUp() throws IOException {
        home = HubHome.at(tmp.newFolder("home").toPath());
        sources = tmp.newFolder("sources").toPath();
        registry = new CatalogRegistry(home);
        store = newStore(Map.of());
    }

    @After
    public void tearDown() {
        store.deactivate();
    }

    private FileArtifactStore newStore(Map<String, Object> config) {
        return new FileArtifactStore(registry, checksums, home, Configs.of(StoreConfig.class, config));
    }

    private ModelDescriptor register(String name, URI source, String sha, long size) {
        return registry.register(new ModelDescriptor(name, "1", Family.DETECTION, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", source, sha, size, "model.onnx")), null, null));
    }

    private Path source(String name, byte[] bytes) throws IOException {
        Path p = sources.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    @Test
    public void pullsVerifiesAndPublishesOnce() throws IOException {
        byte[] data = bytes(300_000);
        Path src = source("a.onnx", data);
        String sha = checksums.checksum(src).sha256();
        register("a", src.toUri(), sha, data.length);
        ModelRef ref = ModelRef.parse("a@1");
        assertEquals(ModelStatus.NOT_DOWNLOADED, store.status(ref));
        List<TransferProgress> seen = new CopyOnWriteArrayList<>();
        LocalModel local = store.pull(ref, seen::add);
        assertEquals(sha, checksums.checksum(local.modelFile()).sha256());
        assertEquals(ModelStatus.READY, store.status(ref));
        assertEquals(ModelStatus.READY, seen.get(seen.size() - 1).status());
        assertTrue(store.local(ref).isPresent());
        assertTrue(store.validate(ref).valid());
        long mtime = Files.getLastModifiedTime(local.modelFile()).toMillis();
        Files.delete(src); // a second pull must not need the source
        store.pull(ref, ProgressListener.NONE);
        assertEquals(mtime, Files.getLastModifiedTime(local.modelFile()).toMillis());
        assertEquals(1, store.cacheInfo().entries().size());
        assertTrue(store.cacheInfo().usedBytes() >= data.length);
    }

    @Test
    public void checksumMismatchNamesBothAndPublishesNothing() throws IOException {
        Path src = source("b.onnx", bytes(1000));
        String wrong = "0".repeat(64);
        register("b", src.toUri(), wrong, 1000);
        ArtifactException e = assertThrows(ArtifactException.class, () -> store.pull(ModelRef.parse("b@1"), null));
        assertTrue(e.getMessage(), e.getMessage().contains(wrong));
        assertTrue(e.getMessage(), e.getMessage().contains(checksums.checksum(src).sha256()));
        Path dir = home.defaultCache().resolve("b").resolve("1");
        assertFalse(Files.exists(dir.resolve("model.onnx")));
        assertFalse(Files.exists(dir.resolve("model.onnx.part")));
        assertEquals(ModelStatus.ERROR, store.status(ModelRef.parse("b@1")));
    }

    @Test
    public void sizeOverrunIsRefused() throws IOException {
        Path src = source("c.onnx", bytes(2000));
        register("c", src.toUri(), null, 1000);
        ArtifactException e = assertThrows(ArtifactException.class, () -> store.pull(ModelRef.parse("c@1"), null));
        assertTrue(e.getMessage(), e.getMessage().contains("more than the declared 1000 bytes"));
    }

    @Test
    public void trustOnFirstUseRecordsTheChecksumAndValidationCatchesCorruption() throws IOException {
        Path src = source("d.onnx", bytes(5000));
        register("d", src.toUri(), null, -1);
        ModelRef ref = ModelRef.parse("d@1");
        LocalModel local = store.pull(ref, null);
        assertTrue(store.validate(ref).valid());
        Files.write(local.modelFile(), new byte[] {1, 2, 3});
        assertFalse(store.validate(ref).valid());
        assertEquals(ModelStatus.NOT_DOWNLOADED, store.status(ref));
        CleanupReport report = store.cleanup();
        assertTrue(report.removed().toString(), report.removed().get(0).startsWith("invalid checksum"));
        assertFalse(Files.exists(local.modelFile()));
    }

    @Test
    public void cleanupRemovesOrphansAndForeignFilesAndRemoveDeletesVersions() throws IOException {
        Path src = source("e.onnx", bytes(100));
        register("e", src.toUri(), checksums.checksum(src).sha256(), 100);
        ModelRef ref = ModelRef.parse("e@1");
        store.pull(ref, null);
        Path dir = home.defaultCache().resolve("e").resolve("1");
        Files.write(dir.resolve("model.onnx.part"), bytes(10));
        Files.write(dir.resolve("stray.bin"), bytes(10));
        Path orphan = Files.createDirectories(home.defaultCache().resolve("gone").resolve("3"));
        Files.write(orphan.resolve("x.onnx"), bytes(10));
        CleanupReport report = store.cleanup();
        assertEquals(report.removed().toString(), 3, report.removed().size());
        assertEquals(30, report.bytesFreed());
        assertEquals(ModelStatus.READY, store.status(ref));
        assertFalse(Files.exists(home.defaultCache().resolve("gone")));
        assertEquals(List.of(ref), store.remove(ModelRef.parse("e")));
        assertEquals(ModelStatus.NOT_DOWNLOADED, store.status(ref));
    }

    @Test
    public void concurrentPullsShareOneTransfer() throws Exception {
        byte[] data = bytes(2_000_000);
        AtomicInteger requests = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/m.onnx", x -> {
            requests.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.sendResponseHeaders(200, data.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(data);
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            Path src = source("f.onnx", data);
            register("f", URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/m.onnx"),
                    checksums.checksum(src).sha256(), data.length);
            store.deactivate();
            store = newStore(Map.of("allowHttp", true));
            List<Future<LocalModel>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(callers.submit(() -> store.pull(ModelRef.parse("f@1"), null)));
            }
            Thread.sleep(300);
            assertEquals(ModelStatus.DOWNLOADING, store.status(ModelRef.parse("f@1")));
            release.countDown();
            for (Future<LocalModel> f : futures) {
                assertEquals(data.length, Files.size(f.get().modelFile()));
            }
            assertEquals(1, requests.get());
        } finally {
            release.countDown();
            callers.shutdownNow();
            server.stop(0);
        }
    }

    @Test
    public void plainHttpIsRefusedUnlessAllowed() {
        register("g", URI.create("http://127.0.0.1:9/m.onnx"), null, -1);
        ArtifactException e = assertThrows(ArtifactException.class, () -> store.pull(ModelRef.parse("g@1"), null));
        assertTrue(e.getMessage(), e.getMessage().contains("allowHttp"));
    }

    @Test
    public void mavenSourcesReadTheJarFromTheLocalRepository() throws IOException {
        Path repo = tmp.newFolder("m2").toPath();
        Path jar = repo.resolve("org/example/models/1.0/models-1.0.jar");
        Files.createDirectories(jar.getParent());
        byte[] data = bytes(4096);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("models/x.onnx"));
            out.write(data);
            out.closeEntry();
        }
        Path src = source("x.onnx", data);
        register("h", URI.create("maven:org.example:models:1.0!/models/x.onnx"), checksums.checksum(src).sha256(),
                data.length);
        store.deactivate();
        store = newStore(Map.of("mavenLocalRepository", repo.toString(), "mavenRemoteRepository", "http://127.0.0.1:9"));
        assertEquals(data.length, Files.size(store.pull(ModelRef.parse("h@1"), null).modelFile()));
    }

    @Test
    public void huggingFaceSourcesResolveToTheEndpointAndCarryTheTokenOnly() throws Exception {
        List<String> auth = new CopyOnWriteArrayList<>();
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            paths.add(x.getRequestURI().getPath());
            auth.add(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
            x.sendResponseHeaders(200, 3);
            try (OutputStream out = x.getResponseBody()) {
                out.write(new byte[] {1, 2, 3});
            }
        });
        server.start();
        try {
            String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
            SourceFetcher f = new SourceFetcher(Configs.of(StoreConfig.class, Map.of("allowHttp", true)), endpoint + "/", "secret-token");
            assertEquals(URI.create(endpoint + "/org/repo/resolve/abc123/sub/m.onnx"),
                    f.resolveHf(URI.create("hf://org/repo/sub/m.onnx@abc123")));
            assertEquals(URI.create(endpoint + "/org/repo/resolve/main/m.onnx"), f.resolveHf(URI.create("hf://org/repo/m.onnx")));
            try (var in = f.open(URI.create("hf://org/repo/m.onnx")).in()) {
                assertEquals(3, in.readAllBytes().length);
            }
            assertEquals(List.of("/org/repo/resolve/main/m.onnx"), paths);
            assertEquals(List.of("Bearer secret-token"), auth);
            ArtifactException e = assertThrows(ArtifactException.class, () -> f.resolveHf(URI.create("hf://org/repo")));
            assertFalse(e.getMessage().contains("secret-token"));
        } finally {
            server.stop(0);
        }
    }
}
