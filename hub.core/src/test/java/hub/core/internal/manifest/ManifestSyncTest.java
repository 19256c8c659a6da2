package hub.core.internal.manifest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import hub.api.ChecksumMismatchException;
import hub.api.InvalidDescriptorException;
import hub.api.ModelRef;
import hub.api.manifest.ManifestLine;
import hub.api.manifest.SyncOptions;
import hub.api.ModelStatus;
import hub.api.ModelsMissingException;
import hub.core.internal.Configs;
import hub.core.internal.catalog.CatalogRegistry;
import hub.core.internal.home.HubHome;
import hub.core.internal.store.FileArtifactStore;
import hub.core.internal.store.Sha256ChecksumService;
import hub.core.internal.store.StoreConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ManifestSyncTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final Sha256ChecksumService checksums = new Sha256ChecksumService();
    private HubHome home;
    private CatalogRegistry registry;
    private FileArtifactStore store;
    private HttpServer hf;
    private final List<String> hfPaths = new CopyOnWriteArrayList<>();
    private Path dir;
    private String shaA;
    private String shaB;

    @Before
    public void setUp() throws IOException {
        home = HubHome.at(tmp.newFolder("home").toPath());
        registry = new CatalogRegistry(home);
        dir = tmp.newFolder("work").toPath();
        Files.write(dir.resolve("a.onnx"), new byte[] {1, 2, 3, 4});
        Files.write(dir.resolve("b.onnx"), new byte[] {5, 6, 7});
        shaA = checksums.checksum(dir.resolve("a.onnx")).sha256();
        shaB = checksums.checksum(dir.resolve("b.onnx")).sha256();
        for (String n : List.of("a", "b")) {
            Files.writeString(dir.resolve(n + ".yaml"), "name: " + n + "\nversion: '1'\nfamily: detection\nartifacts:\n"
                    + "  - source: " + dir.resolve(n + ".onnx").toUri() + "\n    sha256: " + (n.equals("a") ? shaA : shaB) + "\n");
            registry.register(dir.resolve(n + ".yaml"));
        }
        hf = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hf.createContext("/", x -> {
            hfPaths.add(x.getRequestURI().getPath());
            byte[] body = x.getRequestURI().getPath().endsWith(".txt") ? "cat\ndog\n".getBytes() : new byte[] {9, 9};
            x.sendResponseHeaders(200, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        });
        hf.start();
        store = new FileArtifactStore(registry, checksums, home, Configs.of(StoreConfig.class, Map.of("allowHttp", true)));
    }

    @After
    public void tearDown() {
        store.close();
        hf.stop(0);
    }

    private ManifestSync sync(String ciMinimal) {
        return new ManifestSync(registry, store, k -> k.equals(ManifestSync.CI_MINIMAL) ? ciMinimal : null);
    }

    private Path manifest(String text) throws IOException {
        Path p = dir.resolve("models.yaml");
        Files.writeString(p, text);
        return p;
    }

    private static final String BASIC = String.join("\n",
            "verification: sha256",
            "models:",
            "  - a@1",
            "  - ref: b",
            "profiles:",
            "  minimal: [a]",
            "");

    @Test
    public void syncsPinsAndSelectsProfiles() throws IOException {
        Path m = manifest(BASIC);
        List<ManifestLine> lines = sync("yes").sync(m, new SyncOptions(null, null, false, false));
        assertEquals(List.of(new ManifestLine(ModelRef.parse("a@1"), "downloaded")), lines);
        assertEquals(ModelStatus.NOT_DOWNLOADED, store.status(ModelRef.parse("b@1")));
        lines = sync(null).sync(m, new SyncOptions(null, null, false, false));
        assertEquals("cached", lines.get(0).outcome());
        assertEquals("downloaded", lines.get(1).outcome());
        assertTrue(store.cacheInfo().entries().stream().allMatch(e -> e.pinned()));
        assertEquals(List.of("present", "present"), sync(null).sync(m, new SyncOptions(null, null, false, true))
                .stream().map(ManifestLine::outcome).toList());
        List<ManifestLine> cleaned = sync(null).clean(m, "b");
        assertEquals("removed", cleaned.get(0).outcome());
        assertTrue(store.cacheInfo().entries().stream().allMatch(e -> e.ref().name().equals("a")));
    }

    @Test
    public void offlineAndVerifyOnlyDownloadNothingAndListWhatIsMissing() throws IOException {
        Path m = manifest(BASIC);
        ModelsMissingException e = assertThrows(ModelsMissingException.class,
                () -> sync(null).sync(m, new SyncOptions(null, null, false, true)));
        assertEquals(List.of("a@1: not downloaded", "b@1: not downloaded"), e.missing());
        assertEquals(8, e.exitCode());
        assertThrows(ModelsMissingException.class, () -> sync(null).sync(m, new SyncOptions(null, null, true, false)));
        assertTrue(store.cacheInfo().entries().isEmpty());
        sync(null).sync(m, new SyncOptions(null, "a", false, false));
        Path file = store.local(ModelRef.parse("a@1")).orElseThrow().modelFile();
        Files.write(file, new byte[] {1, 2, 3, 5});
        ChecksumMismatchException bad = assertThrows(ChecksumMismatchException.class,
                () -> sync(null).sync(m, new SyncOptions(null, "a", true, false)));
        assertEquals(9, bad.exitCode());
    }

    @Test
    public void hfSourceSpecsResolveTheirRevisionIntoTheManifestsOwnCacheDirectory() throws IOException {
        String endpoint = "http://127.0.0.1:" + hf.getAddress().getPort();
        store.close();
        store = FileArtifactStore.withEnv(registry, checksums, home, Configs.of(StoreConfig.class,
                Map.of("allowHttp", true)), k -> k.equals("HF_ENDPOINT") ? endpoint : null);
        Path m = manifest(String.join("\n",
                "cache_dir: ci-cache",
                "models:",
                "  - name: tiny",
                "    version: '3'",
                "    family: classification",
                "    source: hf://org/repo",
                "    revision: rev42",
                "    files:",
                "      - model.onnx",
                "      - {path: sub/labels.txt, role: labels}",
                ""));
        List<ManifestLine> lines = sync(null).sync(m, new SyncOptions(null, null, false, false));
        assertEquals("downloaded", lines.get(0).outcome());
        assertEquals(List.of("/org/repo/resolve/rev42/model.onnx", "/org/repo/resolve/rev42/sub/labels.txt"),
                hfPaths.stream().sorted().toList());
        assertTrue(Files.isRegularFile(dir.resolve("ci-cache/tiny/3/labels.txt")));
        assertTrue(registry.get(ModelRef.parse("tiny@3")).artifact("labels").isPresent());
    }

    @Test
    public void configurationErrorsNameLineAndFieldAndDownloadNothing() throws IOException {
        InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class, () -> sync(null).sync(
                manifest("models:\n  - a@1\nprofiles:\n  minimal: [a, nope]\n"), new SyncOptions(null, null, false, false)));
        assertEquals(4, e.line());
        assertEquals("profiles.minimal[1]", e.field());
        e = assertThrows(InvalidDescriptorException.class, () -> sync(null).sync(
                manifest("verification: paranoid\nmodels: [a]\n"), new SyncOptions(null, null, false, false)));
        assertEquals("verification", e.field());
        e = assertThrows(InvalidDescriptorException.class, () -> sync(null).sync(
                manifest("models:\n  - name: x\n    version: '1'\n    family: ocr\n    source: https://h/x\n    files: ['../../etc/passwd']\n"),
                new SyncOptions(null, null, false, false)));
        assertEquals("models[0].files[0].path", e.field());
        e = assertThrows(InvalidDescriptorException.class, () -> sync(null).sync(manifest(BASIC),
                new SyncOptions("nightly", null, false, false)));
        assertTrue(e.getMessage(), e.getMessage().contains("no profile 'nightly'"));
        assertThrows(hub.api.ModelNotFoundException.class, () -> sync(null).sync(manifest("models: [a, ghost]\n"),
                new SyncOptions(null, null, false, false)));
        assertTrue("nothing downloaded", store.cacheInfo().entries().isEmpty());
    }
}
