package hub.core.internal.state;

import static org.junit.Assert.assertEquals;

import hub.api.state.StateKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The files store under concurrent writers. */
public class FileStateStoreTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /**
     * A file lock belongs to the whole JVM: threads (of one store object or several) must queue for it, not fail
     * with OverlappingFileLockException (a hub's heartbeat and a key creation at once lost one of them).
     */
    @Test
    public void concurrentWritersOfOneJvmAllLand() throws Exception {
        Path home = tmp.newFolder("home").toPath();
        FileStateStore a = new FileStateStore(home.resolve("catalog"), home.resolve("state"));
        FileStateStore b = new FileStateStore(home.resolve("catalog"), home.resolve("state"));
        CyclicBarrier start = new CyclicBarrier(16);
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                FileStateStore s = i % 2 == 0 ? a : b;
                String key = "k" + i;
                writes.add(CompletableFuture.runAsync(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    for (int round = 0; round < 10; round++) {
                        s.write(StateKind.HUBS, Map.of(key, "{\"round\": " + round + "}"), Set.of());
                    }
                    s.create(StateKind.CATALOG, Map.of(key + "@1", "{\"name\": \"" + key + "\", \"version\": \"1\"}"));
                }, threads));
            }
            writes.forEach(CompletableFuture::join);
        } finally {
            threads.shutdownNow();
        }
        assertEquals(16, a.documents(StateKind.HUBS).size());
        assertEquals("{\"round\":9}", b.documents(StateKind.HUBS).get("k7").replace(" ", "").replace("\n", ""));
        assertEquals(16, b.documents(StateKind.CATALOG).size());
    }
}
