package hub.state.postgres.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import hub.api.state.RecordKind;
import hub.api.state.StateKind;
import hub.api.state.StateUnavailableException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;

/** The PostgreSQL store on a real PostgreSQL server (Debian's, started for the test). */
public class PostgresStateStoreTest {
    private static PostgresServer server;

    @BeforeClass
    public static void start() throws Exception {
        Assume.assumeTrue("skipped: PostgreSQL is not installed (.ci/run installs Debian's postgresql)",
                PostgresServer.binaries().isPresent());
        server = PostgresServer.start();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static PostgresStateStore store() {
        return new PostgresStateStore(new PostgresStateStore.Settings(server.url(), "hub", "", 2, 2));
    }

    @Test
    public void documentsAndRecordsRoundTripAndTheCatalogIsUniqueOnNameAndVersion() throws Exception {
        PostgresStateStore s = store();
        try {
            s.write(StateKind.CATALOG, Map.of("shop@1", "{\"name\": \"shop\", \"version\": \"1\", \"family\": \"detection\"}",
                    "shop@2", "{\"name\": \"shop\", \"version\": \"2\", \"family\": \"detection\"}"), Set.of());
            s.write(StateKind.CATALOG, Map.of("shop@2", "{\"name\": \"shop\", \"version\": \"2\", \"family\": \"ocr\"}"),
                    Set.of());
            Map<String, String> catalog = s.documents(StateKind.CATALOG);
            assertEquals(List.of("shop@1", "shop@2"), List.copyOf(catalog.keySet()));
            assertTrue(catalog.get("shop@2"), catalog.get("shop@2").contains("\"ocr\""));
            try (Connection c = DriverManager.getConnection(server.url(), "hub", "");
                    Statement st = c.createStatement();
                    ResultSet r = st.executeQuery("SELECT family, count(*) OVER () FROM hub_models WHERE name = 'shop'"
                            + " AND version = '2'")) {
                r.next();
                assertEquals("the family column follows the descriptor", "ocr", r.getString(1));
                assertEquals("one row per name and version", 1, r.getInt(2));
            }
            s.write(StateKind.ALIASES, Map.of("detector", "{\"ref\": \"shop@2\"}"), Set.of());
            assertEquals("{\"ref\": \"shop@2\"}", s.document(StateKind.ALIASES, "detector").orElseThrow());
            s.write(StateKind.CATALOG, Map.of(), Set.of("shop@1"));
            assertEquals(Set.of("shop@2"), s.documents(StateKind.CATALOG).keySet());
            for (int i = 0; i < 5; i++) {
                s.append(RecordKind.DOWNLOADS, i % 2 == 0 ? "shop" : "other", "{\"n\": " + i + "}");
            }
            assertEquals(List.of("{\"n\": 2}", "{\"n\": 4}"), s.records(RecordKind.DOWNLOADS, "shop", 2));
            assertEquals(5, s.records(RecordKind.DOWNLOADS, null, 100).size());
        } finally {
            s.close();
        }
    }

    @Test
    public void aWriteIsAllOrNothing() {
        PostgresStateStore s = store();
        try {
            s.write(StateKind.KEYS, Map.of("k1", "{\"tier\": \"lite\"}"), Set.of());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.write(StateKind.KEYS,
                    Map.of("k2", "{\"tier\": \"pro\"}", "k3", "not json"), Set.of("k1")));
            assertTrue(e.getMessage(), e.getMessage().startsWith("not JSON"));
            assertEquals("nothing of the failed write applied", Set.of("k1"), s.documents(StateKind.KEYS).keySet());
        } finally {
            s.close();
        }
    }

    @Test
    public void anotherHubHearsOfAChangeWithinASecondAndCatchesUpAfterAnOutage() throws Exception {
        PostgresStateStore a = store();
        PostgresStateStore b = store();
        BlockingQueue<StateKind> heard = new ArrayBlockingQueue<>(64);
        try (AutoCloseable w = b.watch(heard::add)) {
            Thread.sleep(300); // b's listening connection is up
            long[] delays = new long[10];
            for (int i = 0; i < delays.length; i++) {
                heard.clear();
                long t0 = System.nanoTime();
                a.write(StateKind.ALIASES, Map.of("detector", "{\"ref\": \"m@" + i + "\"}"), Set.of());
                StateKind k = heard.poll(1, TimeUnit.SECONDS);
                delays[i] = (System.nanoTime() - t0) / 1000;
                assertEquals("heard within 1 s", StateKind.ALIASES, k);
            }
            java.util.Arrays.sort(delays);
            System.out.println("change propagation to another hub (write committed to notification heard): median "
                    + delays[delays.length / 2] / 1000.0 + " ms, max " + delays[delays.length - 1] / 1000.0 + " ms");

            // the database goes away: writes fail with one clear error, nothing half-applied
            server.stopServer();
            StateUnavailableException down = assertThrows(StateUnavailableException.class,
                    () -> a.write(StateKind.ALIASES, Map.of("detector", "{\"ref\": \"x@1\"}"), Set.of()));
            assertTrue(down.getMessage(), down.getMessage().startsWith("cannot write aliases in the shared state at"
                    + " postgresql //127.0.0.1:" + server.port() + "/hub as hub: "));
            heard.clear();
            server.startServer();
            // b reconnects by itself and tells its listeners to catch up on everything
            assertEquals(StateKind.CATALOG, heard.poll(15, TimeUnit.SECONDS));
            assertEquals("the last write before the outage is there", "{\"ref\": \"m@9\"}",
                    a.document(StateKind.ALIASES, "detector").orElseThrow());
            a.write(StateKind.ALIASES, Map.of("detector", "{\"ref\": \"y@1\"}"), Set.of());
            assertEquals("{\"ref\": \"y@1\"}", b.document(StateKind.ALIASES, "detector").orElseThrow());
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    public void twoHubsCreatingTheSameModelVersionAtOnceOneWinsAndTheOtherIsTold() throws Exception {
        PostgresStateStore a = store();
        PostgresStateStore b = store();
        try {
            for (int round = 0; round < 5; round++) {
                String key = "race" + round + "@1";
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(8);
                List<java.util.concurrent.CompletableFuture<Set<String>>> tries = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    PostgresStateStore s = i % 2 == 0 ? a : b;
                    String doc = "{\"name\": \"race" + round + "\", \"version\": \"1\", \"family\": \"f" + i + "\"}";
                    tries.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            start.await();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        return s.create(StateKind.CATALOG, Map.of(key, doc));
                    }));
                }
                long won = tries.stream().map(java.util.concurrent.CompletableFuture::join).filter(Set::isEmpty).count();
                assertEquals("exactly one creation wins", 1, won);
            }
            // all or none: one taken key, and the free one is not written either
            assertEquals(Set.of("race0@1"), a.create(StateKind.CATALOG, Map.of("race0@1", "{\"name\": \"race0\"}",
                    "free@1", "{\"name\": \"free\"}")));
            assertTrue(a.document(StateKind.CATALOG, "free@1").isEmpty());
            a.write(StateKind.CATALOG, Map.of(), Set.of("race0@1", "race1@1", "race2@1", "race3@1", "race4@1"));
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    public void anUnreachableDatabaseAtStartIsOneClearErrorUntilItAnswers() throws Exception {
        PostgresStateStore nowhere = new PostgresStateStore(
                new PostgresStateStore.Settings("jdbc:postgresql://127.0.0.1:1/hub", "hub", "secret-pw", 1, 1));
        try {
            StateUnavailableException e = assertThrows(StateUnavailableException.class,
                    () -> nowhere.documents(StateKind.CATALOG));
            assertTrue(e.getMessage(), e.getMessage().startsWith("cannot read catalog in the shared state at postgresql"
                    + " //127.0.0.1:1/hub as hub: "));
            assertTrue("no password in the message", !e.getMessage().contains("secret-pw"));
        } finally {
            nowhere.close();
        }
        PostgresStateStore wrong = new PostgresStateStore(new PostgresStateStore.Settings("postgres://x/hub", "hub",
                "", 1, 1));
        assertEquals("cannot write keys in the shared state: hub.state url must be a jdbc:postgresql: URL, not"
                + " 'postgres://x/hub'", assertThrows(StateUnavailableException.class,
                        () -> wrong.write(StateKind.KEYS, Map.of("k", "{}"), Set.of())).getMessage());
        wrong.close();

        // down when the hub starts, up later: the store migrates and catches up by itself
        server.stopServer();
        PostgresStateStore late = store();
        try {
            BlockingQueue<StateKind> heard = new ArrayBlockingQueue<>(100);
            late.watch(heard::add);
            assertThrows(StateUnavailableException.class, () -> late.documents(StateKind.KEYS));
            server.startServer();
            assertEquals(StateKind.CATALOG, heard.poll(15, TimeUnit.SECONDS));
            late.write(StateKind.PINS, Map.of("late@1", "{\"owners\": []}"), Set.of());
            assertEquals("{\"owners\": []}", late.document(StateKind.PINS, "late@1").orElseThrow());
        } finally {
            late.close();
        }
    }
}
