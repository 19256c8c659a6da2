package hub.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import hub.state.postgres.internal.PostgresServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Three hub processes ({@code hub serve}, each with its own home) on one real PostgreSQL server started by the test,
 * through {@code bin/hub}: a registration made on one is in the others' catalogs within a second.
 */
public class FleetIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PostgresServer db;
    private static final List<Path> homes = new ArrayList<>();
    private static final List<String> bases = new ArrayList<>();
    private static final List<String> keys = new ArrayList<>();
    private static final List<HubCommandLineIT.Started> serves = new ArrayList<>();

    @BeforeClass
    public static void fleet() throws Exception {
        Assume.assumeTrue("skipped: PostgreSQL is not installed (.ci/run installs Debian's postgresql)",
                PostgresServer.binaries().isPresent());
        db = PostgresServer.start();
        for (int i = 0; i < 3; i++) {
            Path home = HubOptions.freshHome("fleet-" + i);
            Files.createDirectories(home.resolve("config"));
            Files.writeString(home.resolve("config/hub.state.cfg"), "store=postgresql\nurl=" + db.url() + "\nuser=hub\n");
            int port = HubOptions.freePort();
            serves.add(HubCommandLineIT.start(home, home, "serve", "--port", String.valueOf(port)));
            homes.add(home);
            bases.add("http://127.0.0.1:" + port);
        }
        for (int i = 0; i < 3; i++) {
            long deadline = System.currentTimeMillis() + 60_000;
            while (!Files.readString(serves.get(i).out()).contains("HTTP API and web page on")) {
                assertTrue("hub serve " + i + " did not come up: " + Files.readString(serves.get(i).err()),
                        System.currentTimeMillis() < deadline);
                Thread.sleep(100);
            }
            HubCommandLineIT.Run key = HubCommandLineIT.served(homes.get(i), homes.get(i), "key", "create", "--tier",
                    "professional", "--admin").await("key");
            assertEquals(key.err(), 0, key.exit());
            keys.add(key.out().lines().findFirst().orElseThrow().trim());
        }
        // two face models for the switches under load (one file, two catalog entries), the face alias on the first:
        // a fleet switch, prepared by every hub
        Path models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        Path home = homes.get(0);
        for (String name : List.of("fleet-face-a", "fleet-face-b")) {
            Files.writeString(home.resolve(name + ".yaml"), "name: " + name + "\nversion: '1'\nfamily: face\n"
                    + "artifacts:\n  - source: '" + models.resolve("face/yunet-2023mar.onnx").toUri() + "'\n");
            HubCommandLineIT.Run r = HubCommandLineIT.served(home, home, "register", name + ".yaml").await("register");
            assertEquals(r.err(), 0, r.exit());
        }
        HubCommandLineIT.Run sw = HubCommandLineIT.served(home, home, "switch", "face=fleet-face-a@1").await("switch");
        assertEquals(sw.err(), 0, sw.exit());
        photo = Files.readAllBytes(models.resolveSibling("images").resolve("astronaut.png"));
    }

    private static byte[] photo;

    @AfterClass
    public static void stop() throws Exception {
        for (int i = 0; i < serves.size(); i++) {
            HubCommandLineIT.served(homes.get(i), homes.get(i), "stop").await("stop");
            serves.get(i).process().waitFor(30, TimeUnit.SECONDS);
        }
        if (db != null) {
            db.close();
        }
    }

    private static int status(int hub, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(bases.get(hub) + path)).header("Authorization", "Bearer "
                + keys.get(hub)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    public void aRegistrationOnOneHubIsInTheOthersCatalogsWithinASecond() throws Exception {
        Path models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        Path home = homes.get(0);
        for (int round = 0; round < 5; round++) {
            String name = "fleet-model-" + round;
            Files.writeString(home.resolve(name + ".yaml"), "name: " + name + "\nversion: '1'\nfamily: detection\n"
                    + "artifacts:\n  - source: '" + models.resolve("detection/yolov8n-int8.onnx").toUri() + "'\n");
            assertEquals(404, status(1, "/api/v1/models/" + name));
            HubCommandLineIT.Run r = HubCommandLineIT.served(home, home, "register", name + ".yaml").await("register");
            assertEquals(r.err(), 0, r.exit());
            long registered = System.nanoTime();
            long[] seen = new long[3];
            while (seen[1] == 0 || seen[2] == 0) {
                for (int hub = 1; hub < 3; hub++) {
                    if (seen[hub] == 0 && status(hub, "/api/v1/models/" + name) == 200) {
                        seen[hub] = System.nanoTime();
                    }
                }
                assertTrue("not seen by every hub within 1 s", System.nanoTime() - registered < 1_000_000_000L);
                Thread.sleep(5);
            }
            System.out.printf("registration %d seen by hub 2 after %.1f ms, hub 3 after %.1f ms (from the end of"
                    + " hub register on hub 1)%n", round, (seen[1] - registered) / 1e6, (seen[2] - registered) / 1e6);
        }
        // the files of the homes hold none of it: the catalog is the database's
        assertTrue(Files.list(home.resolve("catalog")).findAny().isEmpty());
    }

    @Test
    public void aKeyCreatedOnOneHubWorksOnAnotherAndARevocationCountsEverywhereWithinASecond() throws Exception {
        HubCommandLineIT.Run created = HubCommandLineIT.served(homes.get(0), homes.get(0), "key", "create", "--tier",
                "lite").await("key create");
        assertEquals(created.err(), 0, created.exit());
        String secret = created.out().lines().findFirst().orElseThrow().trim();
        String id = secret.split("_")[1];
        long t0 = System.nanoTime();
        while (with(1, secret) != 200) {
            assertTrue("the new key works on hub 2 within 1 s", System.nanoTime() - t0 < 1_000_000_000L);
            Thread.sleep(5);
        }
        System.out.printf("a key created on hub 1 works on hub 2 after %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        assertEquals(200, with(2, secret));
        HubCommandLineIT.Run revoked = HubCommandLineIT.served(homes.get(2), homes.get(2), "key", "revoke", id)
                .await("key revoke");
        assertEquals(revoked.err(), 0, revoked.exit());
        long t1 = System.nanoTime();
        boolean[] refused = new boolean[3];
        while (!(refused[0] && refused[1] && refused[2])) {
            for (int hub = 0; hub < 3; hub++) {
                refused[hub] |= with(hub, secret) == 401;
            }
            assertTrue("the revocation counts on every hub within 1 s", System.nanoTime() - t1 < 1_000_000_000L);
            Thread.sleep(5);
        }
        System.out.printf("a key revoked on hub 3 is refused by every hub after %.1f ms%n",
                (System.nanoTime() - t1) / 1e6);
    }

    private static int with(int hub, String secret) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(bases.get(hub) + "/api/v1/me")).header("Authorization",
                "Bearer " + secret).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    public void aSwitchOnOneHubIsFollowedByTheOthersWithinASecond() throws Exception {
        Path models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        Path home = homes.get(0);
        Files.writeString(home.resolve("switch.yaml"), "name: fleet-detector\nversion: '1'\nfamily: detection\n"
                + "artifacts:\n  - source: '" + models.resolve("detection/yolov8n-int8.onnx").toUri() + "'\n");
        assertEquals(0, HubCommandLineIT.served(home, home, "register", "switch.yaml").await("register").exit());
        HubCommandLineIT.Run sw = HubCommandLineIT.served(home, home, "switch", "detector=fleet-detector@1")
                .await("switch");
        assertEquals(sw.err(), 0, sw.exit());
        long t0 = System.nanoTime();
        for (int hub = 1; hub < 3; hub++) {
            while (!active(hub).contains("\"detector\" : \"fleet-detector@1\"")) {
                assertTrue("hub " + (hub + 1) + " follows the switch within 1 s: " + active(hub),
                        System.nanoTime() - t0 < 1_000_000_000L);
                Thread.sleep(5);
            }
        }
        System.out.printf("a switch on hub 1 is followed by hubs 2 and 3 after %.1f ms%n", (System.nanoTime() - t0) / 1e6);
    }

    @Test
    public void everyServingHubIsInTheFleetTableOverTheCommandLineAndHttp() throws Exception {
        HubCommandLineIT.Run fleet = HubCommandLineIT.served(homes.get(0), homes.get(0), "fleet").await("fleet");
        assertEquals(fleet.err(), 0, fleet.exit());
        assertTrue(fleet.out(), fleet.out().startsWith("shared state: postgresql //127.0.0.1:" + db.port()));
        for (String base : bases) {
            assertTrue(fleet.out(), fleet.out().matches("(?s).*" + java.util.regex.Pattern.quote(base) + "\\s+live.*"));
        }
        assertTrue(fleet.out(), fleet.out().contains("(this home)"));
        JsonNode doc = JSON.readTree(get(1, "/api/v1/fleet", keys.get(1)).body());
        assertEquals(3, doc.get("hubs").size());
        List<String> addresses = new ArrayList<>();
        doc.get("hubs").forEach(h -> {
            assertTrue(h.toString(), h.get("live").asBoolean());
            addresses.add(h.get("address").asText());
        });
        assertEquals(bases.stream().sorted().toList(), addresses.stream().sorted().toList());
        // a hub reports what it has loaded: the face model every hub prepared
        assertTrue(doc.toString(), doc.get("hubs").get(0).get("loaded").toString().contains("fleet-face-"));
        // admins only
        HubCommandLineIT.Run lite = HubCommandLineIT.served(homes.get(1), homes.get(1), "key", "create", "--tier",
                "lite").await("key create");
        assertEquals(403, get(1, "/api/v1/fleet", lite.out().lines().findFirst().orElseThrow().trim()).statusCode());
    }

    /** Clients on every hub running face detection through the face alias; counts what failed and why. */
    private static final class Load implements AutoCloseable {
        final java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.Queue<String> failed = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private volatile boolean stop;
        private final List<Thread> threads = new ArrayList<>();

        Load(int perHub) {
            for (int hub = 0; hub < 3; hub++) {
                for (int i = 0; i < perHub; i++) {
                    int h = hub;
                    Thread t = new Thread(() -> {
                        while (!stop) {
                            try {
                                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(bases.get(h)
                                        + "/api/v1/faces")).header("Authorization", "Bearer " + keys.get(h))
                                        .header("Content-Type", "image/png")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build(),
                                        HttpResponse.BodyHandlers.ofString());
                                if (r.statusCode() == 200) {
                                    ok.incrementAndGet();
                                } else {
                                    failed.add("hub " + (h + 1) + ": " + r.statusCode() + " " + r.body());
                                }
                            } catch (Exception e) {
                                failed.add("hub " + (h + 1) + ": " + e);
                            }
                        }
                    }, "load-" + hub + "-" + i);
                    t.start();
                    threads.add(t);
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            for (Thread t : threads) {
                t.join(60_000);
            }
        }
    }

    @Test
    public void aFleetSwitchUnderLoadIsPreparedByEveryHubAndFailsNoRequest() throws Exception {
        String from = JSON.readTree(active(1)).get("face").asText();
        String to = from.equals("fleet-face-a@1") ? "fleet-face-b@1" : "fleet-face-a@1";
        Load load = new Load(2);
        HubCommandLineIT.Run sw;
        long took;
        try {
            Thread.sleep(1000);
            long t0 = System.nanoTime();
            sw = HubCommandLineIT.served(homes.get(1), homes.get(1), "switch", "face=" + to).await("switch");
            took = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(sw.err(), 0, sw.exit());
            long t1 = System.nanoTime();
            for (int hub = 0; hub < 3; hub++) {
                while (!JSON.readTree(active(hub)).get("face").asText().equals(to)) {
                    assertTrue("hub " + (hub + 1) + " flips within 1 s", System.nanoTime() - t1 < 1_000_000_000L);
                    Thread.sleep(5);
                }
            }
            Thread.sleep(1000);
        } finally {
            load.close();
        }
        assertTrue("failed requests: " + load.failed, load.failed.isEmpty());
        assertTrue(load.ok.get() > 10);
        System.out.printf("fleet switch face=%s on hub 2 under load: %d ms (hub switch, every hub prepared), %d"
                + " requests on 3 hubs, 0 failed%n", to, took, load.ok.get());
        // the model switched out is unloaded everywhere; the new one is loaded everywhere
        for (int hub = 0; hub < 3; hub++) {
            String status = get(hub, "/api/v1/status", keys.get(hub)).body();
            assertTrue(status, status.contains("\"" + to.replace("@1", "") + "\""));
        }
    }

    @Test
    public void aFleetSwitchToAModelOneHubCannotLoadChangesNothingAnywhere() throws Exception {
        Path models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        Path home = homes.get(0);
        Files.writeString(home.resolve("big.yaml"), "name: fleet-detector-x\nversion: '1'\nfamily: detection\n"
                + "artifacts:\n  - source: '" + models.resolve("detection/yolov8n-int8.onnx").toUri() + "'\n");
        assertEquals(0, HubCommandLineIT.served(home, home, "register", "big.yaml").await("register").exit());
        List<String> before = new ArrayList<>();
        for (int hub = 0; hub < 3; hub++) {
            before.add(active(hub));
        }
        // hub 3 has no detection loader (its plug-in stopped): it cannot prepare the switch
        HubCommandLineIT.Run stopped = HubCommandLineIT.served(homes.get(2), homes.get(2), "felix:stop",
                "hub.loader.yolo").await("felix:stop");
        assertEquals(stopped.err(), 0, stopped.exit());
        String third = JSON.readTree(get(2, "/api/v1/fleet", keys.get(2)).body()).get("self").asText();
        try {
            HubCommandLineIT.Run sw = HubCommandLineIT.served(home, home, "switch", "detector=fleet-detector-x@1")
                    .await("switch");
            assertTrue(sw.err(), sw.exit() != 0);
            assertTrue(sw.err(), sw.err().contains("hub " + third + " (" + bases.get(2) + "): ")
                    && sw.err().contains("detection"));
            System.out.println("a fleet switch one hub cannot prepare: " + sw.err().trim());
            for (int hub = 0; hub < 3; hub++) {
                assertEquals("nothing changed on hub " + (hub + 1), before.get(hub), active(hub));
                assertTrue("the prepared model is unloaded again on hub " + (hub + 1), !get(hub, "/api/v1/status",
                        keys.get(hub)).body().contains("fleet-detector-x"));
            }
        } finally {
            assertEquals(0, HubCommandLineIT.served(homes.get(2), homes.get(2), "felix:start", "hub.loader.yolo")
                    .await("felix:start").exit());
        }
    }

    @Test
    public void theHubsKeepServingWhilePostgresqlIsDownAndAreConsistentAfterItComesBack() throws Exception {
        Path models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        Path home = homes.get(0);
        Files.writeString(home.resolve("outage.yaml"), "name: fleet-outage\nversion: '1'\nfamily: face\n"
                + "artifacts:\n  - source: '" + models.resolve("face/yunet-2023mar.onnx").toUri() + "'\n");
        Load load = new Load(1);
        int duringOutage;
        try {
            Thread.sleep(500);
            db.stopServer();
            int before = load.ok.get();
            HubCommandLineIT.Run r = HubCommandLineIT.served(home, home, "register", "outage.yaml").await("register");
            assertEquals(r.err(), 9, r.exit());
            assertTrue(r.err(), r.err().startsWith("hub: cannot ") && r.err().contains("the shared state at postgresql"));
            HubCommandLineIT.Run key = HubCommandLineIT.served(homes.get(1), homes.get(1), "key", "create", "--tier",
                    "lite").await("key create");
            assertEquals(key.err(), 9, key.exit());
            Thread.sleep(2000);
            duringOutage = load.ok.get() - before;
            db.startServer();
            long t0 = System.nanoTime();
            while (true) { // the hubs' pools find the database again by themselves
                r = HubCommandLineIT.served(home, home, "register", "outage.yaml").await("register");
                if (r.exit() == 0) {
                    break;
                }
                assertTrue(r.err(), System.nanoTime() - t0 < 30_000_000_000L);
                Thread.sleep(200);
            }
            System.out.printf("PostgreSQL down: %d requests answered meanwhile, 0 failed; writes refused with exit 9;"
                    + " a registration works again %.0f ms after the restart%n", duringOutage,
                    (System.nanoTime() - t0) / 1e6);
            long t1 = System.nanoTime();
            for (int hub = 1; hub < 3; hub++) {
                while (status(hub, "/api/v1/models/fleet-outage") != 200) {
                    assertTrue("hub " + (hub + 1) + " sees it within 1 s", System.nanoTime() - t1 < 1_000_000_000L);
                    Thread.sleep(5);
                }
            }
            Thread.sleep(500);
        } finally {
            load.close();
        }
        assertTrue("failed requests: " + load.failed, load.failed.isEmpty());
        assertTrue("inference went on during the outage", duringOutage > 0);
        // every hub has the same catalog and aliases again
        String catalog = catalog(0);
        for (int hub = 1; hub < 3; hub++) {
            assertEquals(catalog, catalog(hub));
            assertEquals(active(0), active(hub));
        }
    }

    private static String catalog(int hub) throws Exception {
        JsonNode items = JSON.readTree(get(hub, "/api/v1/models?size=500", keys.get(hub)).body()).get("items");
        List<String> refs = new ArrayList<>();
        items.forEach(i -> refs.add(i.get("name").asText() + "@" + i.get("version").asText()));
        return String.join(",", refs.stream().sorted().toList());
    }

    @Test
    public void aHubWhoseDatabaseIsUnreachableAtStartRefusesToServeWithOneLine() throws Exception {
        Path home = HubOptions.freshHome("fleet-nodb");
        Files.createDirectories(home.resolve("config"));
        int nothing = HubOptions.freePort();
        Files.writeString(home.resolve("config/hub.state.cfg"), "store=postgresql\nurl=jdbc:postgresql://127.0.0.1:"
                + nothing + "/hub\nuser=hub\nconnectTimeoutSeconds=2\n");
        HubCommandLineIT.Run serve = HubCommandLineIT.start(home, home, "serve", "--port",
                String.valueOf(HubOptions.freePort())).await("serve");
        assertEquals(serve.err(), 9, serve.exit());
        assertTrue(serve.err(), serve.err().startsWith("hub: cannot serve: cannot write hubs in the shared state at"
                + " postgresql //127.0.0.1:" + nothing + "/hub as hub: "));
        assertEquals(serve.err(), 1, serve.err().lines().count());
        HubCommandLineIT.Run list = HubCommandLineIT.start(home, home, "list").await("list");
        assertEquals(list.err(), 9, list.exit());
        assertTrue(list.err(), list.err().startsWith("hub: cannot read catalog in the shared state at postgresql"));
        // nothing fell back to the home's files
        assertTrue(Files.list(home.resolve("catalog")).findAny().isEmpty());
        assertTrue(!Files.exists(home.resolve("state/hubs.json")));
    }

    private static HttpResponse<String> get(int hub, String path, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(bases.get(hub) + path)).header("Authorization",
                "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String active(int hub) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(bases.get(hub) + "/models/active")).header("Authorization",
                "Bearer " + keys.get(hub)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
