package hub.core.internal.store;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import hub.api.ArtifactException;
import hub.api.ArtifactSpec;
import hub.api.ChecksumMismatchException;
import hub.api.DownloadRecord;
import hub.api.Family;
import hub.api.LocalModel;
import hub.api.ModelDescriptor;
import hub.api.ModelRef;
import hub.api.ModelStatus;
import hub.core.internal.Configs;
import hub.core.internal.catalog.CatalogRegistry;
import hub.core.internal.home.HubHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Transfers against a real loopback server with injected faults: the result is the verified file, or a clear error. */
public class DownloadFaultTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final Sha256ChecksumService checksums = new Sha256ChecksumService();
    private HubHome home;
    private CatalogRegistry registry;
    private FileArtifactStore store;
    private FaultyServer server;
    private byte[] data;
    private String sha;

    @Before
    public void setUp() throws IOException {
        home = HubHome.at(tmp.newFolder("home").toPath());
        registry = new CatalogRegistry(home);
        data = new byte[3_000_000];
        new Random(42).nextBytes(data);
        sha = checksums.checksum(new java.io.ByteArrayInputStream(data)).sha256();
        server = new FaultyServer(data);
        store = store(Map.of());
    }

    @After
    public void tearDown() {
        store.deactivate();
        server.close();
    }

    private FileArtifactStore store(Map<String, Object> extra) {
        Map<String, Object> c = new java.util.HashMap<>(Map.of("allowHttp", true, "retryBackoffMillis", 10L,
                "timeoutSeconds", 2, "maxRetries", 5));
        c.putAll(extra);
        return new FileArtifactStore(registry, checksums, home, Configs.of(StoreConfig.class, c));
    }

    private ModelRef register(String name, String path, String checksum, long size) {
        registry.register(new ModelDescriptor(name, "1", Family.DETECTION, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", server.uri(path), checksum, size, "model.onnx")), null, null));
        return new ModelRef(name, "1");
    }

    private void assertVerified(LocalModel m) throws IOException {
        assertEquals(sha, checksums.checksum(m.modelFile()).sha256());
        Path dir = m.modelFile().getParent();
        assertFalse(Files.exists(dir.resolve("model.onnx.part")));
        assertFalse(Files.exists(dir.resolve("model.onnx.part.json")));
    }

    @Test
    public void connectionsDroppedAtRandomOffsetsStillEndInTheVerifiedFile() throws IOException {
        Random r = new Random(7);
        server.faults = n -> n <= 4 ? FaultyServer.Fault.DROP : FaultyServer.Fault.NONE;
        server.dropAfter = 200_000 + r.nextInt(400_000);
        ModelRef ref = register("drops", "/file", sha, data.length);
        assertVerified(store.pull(ref, null));
        assertEquals(5, server.fileRequests());
        List<FaultyServer.Seen> seen = server.requests;
        assertEquals(null, seen.get(0).range());
        for (int i = 1; i < seen.size(); i++) {
            assertNotNull("attempt " + i + " resumes", seen.get(i).range());
            assertEquals("\"v1\"", seen.get(i).ifRange());
        }
        // every attempt is in the history: four dropped ones with their own bytes and offsets, then the one that ended
        List<DownloadRecord> history = store.history("drops");
        assertEquals(history.toString(), 5, history.size());
        long total = 0;
        for (int i = 0; i < 4; i++) {
            DownloadRecord attempt = history.get(i);
            assertEquals("attempt-failed", attempt.outcome());
            assertTrue(attempt.toString(), attempt.bytes() > 0 && attempt.error() != null);
            assertEquals("attempt " + i + " resumes where the bytes so far end", total, attempt.resumedFrom());
            total += attempt.bytes();
        }
        DownloadRecord rec = history.get(4);
        assertEquals("ok", rec.outcome());
        assertEquals(total, rec.resumedFrom());
        assertEquals(data.length, total + rec.bytes());
    }

    @Test
    public void wrongBytesAreRejectedAndDeleted() {
        server.faults = n -> FaultyServer.Fault.WRONG_BYTES;
        ModelRef ref = register("wrong", "/file", sha, data.length);
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> store.pull(ref, null));
        assertEquals(sha, e.expected());
        assertTrue(e.getMessage(), e.getMessage().contains(e.actual()));
        Path dir = home.defaultCache().resolve("wrong/1");
        assertFalse(Files.exists(dir.resolve("model.onnx")));
        assertFalse(Files.exists(dir.resolve("model.onnx.part")));
        assertEquals(ModelStatus.ERROR, store.status(ref));
        assertEquals("failed", store.history("wrong").get(0).outcome());
    }

    @Test
    public void aSlowServerTimesOutThenTheRetryCompletes() throws IOException {
        server.faults = n -> n == 1 ? FaultyServer.Fault.SLOW : FaultyServer.Fault.NONE;
        server.slowMillisPerChunk = 4000;
        store.deactivate();
        store = store(Map.of("timeoutSeconds", 1));
        ModelRef ref = register("slow", "/file", sha, data.length);
        assertVerified(store.pull(ref, null));
        assertEquals(2, server.fileRequests());
    }

    @Test
    public void aServerThatStaysSlowFailsWithTheTimeout() {
        server.faults = n -> FaultyServer.Fault.SLOW;
        server.slowMillisPerChunk = 3000;
        store.deactivate();
        store = store(Map.of("timeoutSeconds", 1, "maxRetries", 1));
        ModelRef ref = register("stuck", "/file", sha, data.length);
        ArtifactException e = assertThrows(ArtifactException.class, () -> store.pull(ref, null));
        assertTrue(e.getMessage(), e.getMessage().contains("failed after 2 attempts") && e.getMessage().contains("timed out"));
    }

    @Test
    public void serverErrorsAreRetriedClientErrorsAreNot() throws IOException {
        server.faults = n -> n <= 3 ? FaultyServer.Fault.STATUS_500 : FaultyServer.Fault.NONE;
        assertVerified(store.pull(register("flaky", "/file", sha, data.length), null));
        assertEquals(4, server.fileRequests());
        server.requests.clear();
        server.faults = n -> FaultyServer.Fault.STATUS_404;
        ArtifactException e = assertThrows(ArtifactException.class,
                () -> store.pull(register("missing", "/file", sha, data.length), null));
        assertTrue(e.getMessage(), e.getMessage().contains("HTTP 404"));
        assertEquals(1, server.fileRequests());
    }

    @Test
    public void aStaleRangeGets416AndStartsOver() throws IOException {
        ModelRef ref = register("stale", "/file", sha, data.length);
        Path dir = Files.createDirectories(home.defaultCache().resolve("stale/1"));
        Files.write(dir.resolve("model.onnx.part"), new byte[1000]);
        new PartSidecar(server.uri("/file").toString(), "\"v1\"", null, data.length, 1000)
                .write(dir.resolve("model.onnx.part.json"));
        server.faults = n -> n == 1 ? FaultyServer.Fault.RANGE_416 : FaultyServer.Fault.NONE;
        assertVerified(store.pull(ref, null));
        assertEquals("bytes=1000-", server.requests.get(0).range());
        assertEquals(null, server.requests.get(1).range());
    }

    @Test
    public void aRedirectLoopFailsClearlyAndRedirectsAreFollowed() throws IOException {
        ArtifactException e = assertThrows(ArtifactException.class,
                () -> store.pull(register("loop", "/loop", sha, data.length), null));
        assertTrue(e.getMessage(), e.getMessage().contains("too many redirects"));
        assertVerified(store.pull(register("moved", "/moved", sha, data.length), null));
    }

    @Test
    public void aBodyLongerThanDeclaredIsRefused() {
        server.faults = n -> FaultyServer.Fault.LONGER;
        ModelRef ref = register("long", "/file", sha, data.length);
        ArtifactException e = assertThrows(ArtifactException.class, () -> store.pull(ref, null));
        assertTrue(e.getMessage(), e.getMessage().contains("more than the declared"));
        assertFalse(Files.exists(home.defaultCache().resolve("long/1/model.onnx.part")));
    }

    @Test
    public void anETagChangeBetweenAttemptsStartsOver() throws IOException {
        byte[] v2 = data.clone();
        v2[10] ^= 1;
        String sha2 = checksums.checksum(new java.io.ByteArrayInputStream(v2)).sha256();
        server.dropAfter = 500_000;
        server.faults = n -> n == 1 ? FaultyServer.Fault.DROP : FaultyServer.Fault.NONE;
        ModelRef ref = register("changed", "/file", sha2, v2.length);
        // the first attempt gets v1 and drops; then the file changes on the server
        Thread changer = new Thread(() -> {
            while (server.fileRequests() < 1) {
                Thread.onSpinWait();
            }
            server.data = v2;
            server.etag = "\"v2\"";
        });
        changer.start();
        LocalModel m = store.pull(ref, null);
        assertEquals(sha2, checksums.checksum(m.modelFile()).sha256());
        FaultyServer.Seen second = server.requests.get(1);
        assertEquals("\"v1\"", second.ifRange()); // asked to resume v1; the server answered with all of v2
    }

    @Test
    public void pullingPastTheLimitEvictsTheLeastRecentlyUsedUnpinned() throws Exception {
        store.deactivate();
        store = store(Map.of("maxSizeGb", 0.0075)); // 7.5 MB: two 3 MB models fit, three do not
        ModelRef a = register("a", "/file", sha, data.length);
        ModelRef b = register("b", "/file", sha, data.length);
        ModelRef c = register("c", "/file", sha, data.length);
        ModelRef d = register("d", "/file", sha, data.length);
        store.pull(a, null);
        Thread.sleep(20);
        store.pull(b, null);
        store.pin(a, "test");
        Thread.sleep(20);
        store.pull(c, null); // a is older but pinned: b goes
        assertEquals(ModelStatus.READY, store.status(a));
        assertEquals(ModelStatus.NOT_DOWNLOADED, store.status(b));
        assertEquals(ModelStatus.READY, store.status(c));
        store.pin(c, "test");
        ArtifactException e = assertThrows(ArtifactException.class, () -> store.pull(d, null));
        assertTrue(e.getMessage(), e.getMessage().contains("cache limit"));
        assertEquals(ModelStatus.READY, store.status(a));
        assertEquals(ModelStatus.READY, store.status(c));
        store.unpin(a, "test");
        store.pull(d, null);
        assertEquals(ModelStatus.NOT_DOWNLOADED, store.status(a));
        assertTrue(store.cacheInfo().usedBytes() <= 7_500_000);
    }

    @Test
    public void verificationLevelsDecideWhatIsChecked() throws IOException {
        server.faults = n -> FaultyServer.Fault.WRONG_BYTES;
        ModelRef ref = register("lenient", "/file", sha, data.length);
        store.deactivate();
        store = store(Map.of("verification", "size"));
        // the SHA-256 is computed in the same pass: a published one that does not match is refused at the size level
        // too (exit 9), and nothing is placed
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> store.pull(ref, null));
        assertEquals(9, e.exitCode());
        assertFalse(Files.exists(home.defaultCache().resolve("lenient/1/model.onnx")));
        // a wrong size is the same failure, at every level but none
        server.faults = n -> FaultyServer.Fault.NONE;
        ModelRef shorter = register("shorter", "/file", null, data.length + 1);
        ChecksumMismatchException s = assertThrows(ChecksumMismatchException.class, () -> store.pull(shorter, null));
        assertTrue(s.getMessage(), s.getMessage().contains((data.length + 1) + " bytes"));
        assertFalse(Files.exists(home.defaultCache().resolve("shorter/1/model.onnx")));
    }
}
