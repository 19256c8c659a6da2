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
    private static final Path MODELS = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
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
        Path home = homes.get(0);
        for (String name : List.of("fleet-face-a", "fleet-face-b")) {
            descriptor(home, name, name, "1", "face", "face/yunet-2023mar.onnx");
            HubCommandLineIT.Run r = HubCommandLineIT.served(home, home, "register", name + ".yaml").await("register");
            assertEquals(r.err(), 0, r.exit());
        }
        HubCommandLineIT.Run sw = HubCommandLineIT.served(home, home, "switch", "face=fleet-face-a@1").await("switch");
        assertEquals(sw.err(), 0, sw.exit());
        photo = Files.readAllBytes(MODELS.resolveSibling("images").resolve("astronaut.png"));
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
        Path home = homes.get(0);
        for (int round = 0; round < 5; round++) {
            String name = "fleet-model-" + round;
            descriptor(home, name, name, "1", "detection", "detection/yolov8n-int8.onnx");
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
        Path home = homes.get(0);
        descriptor(home, "switch", "fleet-detector", "1", "detection", "detection/yolov8n-int8.onnx");
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
        List<String> addresses = new ArrayList<>();
        doc.get("hubs").forEach(h -> {
            if (h.get("live").asBoolean()) { // (a hub another test killed is listed too, as gone)
                addresses.add(h.get("address").asText());
            }
        });
        assertEquals(bases.stream().sorted().toList(), addresses.stream().sorted().toList());
        // a hub reports what it has loaded: the face model every hub prepared
        long t0 = System.nanoTime();
        while (!doc.get("hubs").get(0).get("loaded").toString().contains("fleet-face-")) { // by the next heartbeat
            assertTrue(doc.toString(), System.nanoTime() - t0 < 5_000_000_000L);
            Thread.sleep(100);
            doc = JSON.readTree(get(1, "/api/v1/fleet", keys.get(1)).body());
        }
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
                        // a client of its own: its connection is never idle, so never one the server closed after
                        // another test left it idle in a shared pool (the JDK client then fails with "header parser
                        // received no bytes" before the request reaches the hub)
                        HttpClient client = HttpClient.newHttpClient();
                        while (!stop) {
                            try {
                                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(bases.get(h)
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
            assertTrue(status, status.contains("\"" + to + "\""));
            assertTrue(status, !status.contains("\"" + from + "\""));
        }
    }

    @Test
    public void aPinMadeOnOneHubHoldsOnEveryHub() throws Exception {
        Path home = homes.get(0);
        descriptor(home, "pinned", "fleet-pinned", "1", "face", "face/yunet-2023mar.onnx");
        assertEquals(0, HubCommandLineIT.served(home, home, "register", "pinned.yaml").await("register").exit());
        HubCommandLineIT.Run load = HubCommandLineIT.served(homes.get(1), homes.get(1), "load", "fleet-pinned@1")
                .await("load");
        assertEquals(load.err(), 0, load.exit());
        assertTrue(!pinnedOn(1));
        assertEquals(0, HubCommandLineIT.served(home, home, "pin", "fleet-pinned@1").await("pin").exit());
        long t0 = System.nanoTime();
        while (!pinnedOn(1)) {
            assertTrue("hub 2 holds the pin made on hub 1 within 1 s", System.nanoTime() - t0 < 1_000_000_000L);
            Thread.sleep(5);
        }
        System.out.printf("a pin made on hub 1 holds on hub 2 after %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        assertEquals(0, HubCommandLineIT.served(homes.get(2), homes.get(2), "unpin", "fleet-pinned@1").await("unpin")
                .exit());
        long t1 = System.nanoTime();
        while (pinnedOn(1)) {
            assertTrue("an unpin on hub 3 counts on hub 2 within 1 s", System.nanoTime() - t1 < 1_000_000_000L);
            Thread.sleep(5);
        }
    }

    private static boolean pinnedOn(int hub) throws Exception {
        for (JsonNode m : JSON.readTree(get(hub, "/api/v1/status", keys.get(hub)).body())) {
            if (m.path("ref").asText().equals("fleet-pinned@1")) {
                return m.path("pinned").asBoolean();
            }
        }
        throw new AssertionError("fleet-pinned@1 is not loaded on hub " + (hub + 1));
    }

    @Test
    public void aHubThatStopsReportingIsShownAsGoneAndNoSwitchWaitsForIt() throws Exception {
        Path home = HubOptions.freshHome("fleet-doomed");
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/hub.state.cfg"), "store=postgresql\nurl=" + db.url() + "\nuser=hub\n");
        int port = HubOptions.freePort();
        HubCommandLineIT.Started doomed = HubCommandLineIT.start(home, home, "serve", "--port", String.valueOf(port));
        String address = "http://127.0.0.1:" + port;
        long deadline = System.currentTimeMillis() + 60_000;
        while (!get(0, "/api/v1/fleet", keys.get(0)).body().contains(address)) {
            assertTrue("the fourth hub joins: " + Files.readString(doomed.err()), System.currentTimeMillis() < deadline);
            Thread.sleep(100);
        }
        // killed: no goodbye, the row stays and its heartbeat stops
        doomed.process().descendants().forEach(ProcessHandle::destroyForcibly);
        doomed.process().destroyForcibly();
        long t0 = System.nanoTime();
        String to = JSON.readTree(active(0)).get("face").asText().equals("fleet-face-a@1") ? "fleet-face-b@1"
                : "fleet-face-a@1";
        HubCommandLineIT.Run sw = HubCommandLineIT.served(homes.get(0), homes.get(0), "switch", "face=" + to)
                .await("switch");
        long took = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(sw.err(), 0, sw.exit());
        assertTrue("the switch waited " + took + " ms for a dead hub", took < 30_000);
        JsonNode row = null;
        for (JsonNode h : JSON.readTree(get(0, "/api/v1/fleet", keys.get(0)).body()).get("hubs")) {
            if (h.get("address").asText().equals(address)) {
                row = h;
            }
        }
        assertTrue(String.valueOf(row), row != null && !row.get("live").asBoolean());
        String table = HubCommandLineIT.served(homes.get(0), homes.get(0), "fleet").await("fleet").out();
        assertTrue(table, table.matches("(?s).*" + java.util.regex.Pattern.quote(address) + "\\s+gone.*"));
        System.out.printf("a killed hub: a switch right after went through in %d ms (the hub counted as gone after"
                + " 10 s without a heartbeat, not waited for)%n", took);
    }

    @Test
    public void aFleetSwitchToAModelOneHubCannotLoadChangesNothingAnywhere() throws Exception {
        Path home = homes.get(0);
        descriptor(home, "big", "fleet-detector-x", "1", "detection", "detection/yolov8n-int8.onnx");
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
            }
            // the hub that asked unloads what it prepared before it answers; the others when they see the outcome
            // (one may still have been loading when the refusal came)
            long t0 = System.nanoTime();
            for (int hub = 0; hub < 3; hub++) {
                while (get(hub, "/api/v1/status", keys.get(hub)).body().contains("fleet-detector-x")) {
                    assertTrue("the prepared model is unloaded again on hub " + (hub + 1),
                            hub > 0 && System.nanoTime() - t0 < 10_000_000_000L);
                    Thread.sleep(50);
                }
            }
        } finally {
            // Gogo's felix:start takes bundle ids (a name would be read as a URL to install)
            String lb = HubCommandLineIT.served(homes.get(2), homes.get(2), "lb", "yolo").await("lb").out();
            java.util.regex.Matcher id = java.util.regex.Pattern.compile("(?m)^\\s*(\\d+)\\|Resolved").matcher(lb);
            assertTrue(lb, id.find());
            assertEquals(0, HubCommandLineIT.served(homes.get(2), homes.get(2), "felix:start", id.group(1))
                    .await("felix:start").exit());
            long t0 = System.nanoTime(); // the bundle is active a moment before its loader is registered
            while (!JSON.readTree(get(2, "/api/v1/models/fleet-detector-x", keys.get(2)).body()).path("loaderAvailable")
                    .asBoolean()) {
                assertTrue("hub 3's detection loader is back", System.nanoTime() - t0 < 15_000_000_000L);
                Thread.sleep(50);
            }
        }
    }

    @Test
    public void theHubsKeepServingWhilePostgresqlIsDownAndAreConsistentAfterItComesBack() throws Exception {
        Path home = homes.get(0);
        descriptor(home, "outage", "fleet-outage", "1", "face", "face/yunet-2023mar.onnx");
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
                // right after an outage each hub's pool is still replacing its dead connections: a few seconds
                while (status(hub, "/api/v1/models/fleet-outage") != 200) {
                    assertTrue("hub " + (hub + 1) + " sees it within 10 s", System.nanoTime() - t1 < 10_000_000_000L);
                    Thread.sleep(5);
                }
            }
            System.out.printf("after the outage, that registration is on every hub %.0f ms later%n",
                    (System.nanoTime() - t1) / 1e6);
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
        assertTrue(serve.err(), serve.err().startsWith("hub: cannot serve: cannot read hubs in the shared state at"
                + " postgresql //127.0.0.1:" + nothing + "/hub as hub: Connection to 127.0.0.1:" + nothing
                + " refused"));
        assertEquals(serve.err(), 1, serve.err().lines().count());
        HubCommandLineIT.Run list = HubCommandLineIT.start(home, home, "list").await("list");
        assertEquals(list.err(), 9, list.exit());
        assertTrue(list.err(), list.err().startsWith("hub: cannot read catalog in the shared state at postgresql"));
        // nothing fell back to the home's files
        assertTrue(Files.list(home.resolve("catalog")).findAny().isEmpty());
        assertTrue(!Files.exists(home.resolve("state/hubs.json")));
    }

    @Test
    public void aSingleHomesStateMovesToTheFleetAndBackByExportAndImport() throws Exception {
        Path single = HubOptions.freshHome("fleet-single");
        descriptor(single, "own", "single-face", "3", "face", "face/yunet-2023mar.onnx");
        assertEquals(0, HubCommandLineIT.start(single, single, "register", "own.yaml").await("register").exit());
        HubCommandLineIT.Run key = HubCommandLineIT.start(single, single, "key", "create", "--tier", "standard")
                .await("key create");
        assertEquals(key.err(), 0, key.exit());
        String secret = key.out().lines().findFirst().orElseThrow().trim();
        HubCommandLineIT.Run sw = HubCommandLineIT.start(single, single, "switch", "face=single-face@3").await("switch");
        assertEquals(sw.err(), 0, sw.exit());
        Path exported = single.resolve("single.json");
        HubCommandLineIT.Run ex = HubCommandLineIT.start(single, single, "state", "export", exported.toString())
                .await("state export");
        assertEquals(ex.err(), 0, ex.exit());
        assertTrue(ex.out(), ex.out().startsWith("exported 1 catalog entries, 5 aliases, 0 pins, 1 API keys, 0 mirrors, 1"
                + " download records, 1 alias switches from files in "));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(exported)));

        // into the fleet's database, through hub 1: every hub has it at once
        HubCommandLineIT.Run im = HubCommandLineIT.served(homes.get(0), homes.get(0), "state", "import",
                exported.toString()).await("state import");
        assertEquals(im.err(), 0, im.exit());
        assertTrue(im.out(), im.out().startsWith("imported 1 catalog entries, 5 aliases, 0 pins, 1 API keys, 0 mirrors, 1"
                + " download records, 1 alias switches")
                && im.out().endsWith("into postgresql //127.0.0.1:" + db.port() + "/hub as hub\n"));
        long t0 = System.nanoTime();
        while (status(1, "/api/v1/models/single-face") != 200 || with(2, secret) != 200
                || !active(2).contains("single-face@3")) {
            assertTrue("hubs 2 and 3 have the imported state within 1 s", System.nanoTime() - t0 < 1_000_000_000L);
            Thread.sleep(5);
        }
        HubCommandLineIT.Run again = HubCommandLineIT.served(homes.get(0), homes.get(0), "state", "import",
                exported.toString()).await("state import");
        assertTrue(again.out(), again.out().contains(" 0 download records, 0 alias switches"));

        // and back out of the database into a new home: the same documents and records
        Path fleetExport = single.resolve("fleet.json");
        assertEquals(0, HubCommandLineIT.served(homes.get(1), homes.get(1), "state", "export", fleetExport.toString())
                .await("state export").exit());
        Path back = HubOptions.freshHome("fleet-back");
        assertEquals(0, HubCommandLineIT.start(back, back, "state", "import", fleetExport.toString())
                .await("state import").exit());
        Path roundTrip = back.resolve("back.json");
        assertEquals(0, HubCommandLineIT.start(back, back, "state", "export", roundTrip.toString())
                .await("state export").exit());
        JsonNode original = JSON.readTree(exported.toFile());
        JsonNode returned = JSON.readTree(roundTrip.toFile());
        for (String kind : List.of("CATALOG", "KEYS", "ALIASES")) {
            original.at("/documents/" + kind).fields().forEachRemaining(e -> assertEquals(kind + " " + e.getKey(),
                    e.getValue(), returned.at("/documents/" + kind).get(e.getKey())));
        }
        for (String kind : List.of("DOWNLOADS", "ALIAS_HISTORY")) {
            List<JsonNode> there = new ArrayList<>();
            returned.at("/records/" + kind).forEach(there::add);
            original.at("/records/" + kind).forEach(r -> assertTrue(kind + " " + r, there.contains(r)));
        }
        // the key made on the single machine is in the new home too (its hash moved, never the secret)
        assertEquals(Files.readString(back.resolve("state/api-keys.json")).contains(secret.split("_")[1]), true);

        // not an export: one clear line, nothing written
        Files.writeString(single.resolve("bad.json"), "{\"models\": []}");
        HubCommandLineIT.Run bad = HubCommandLineIT.start(back, back, "state", "import",
                single.resolve("bad.json").toString()).await("state import");
        assertEquals(bad.err(), 2, bad.exit());
        assertEquals("hub: not a state export: \"format\" is not \"vision-hub-state\"", bad.err().trim());
        // the fleet's face alias goes back to a model of its own for the other tests
        assertEquals(0, HubCommandLineIT.served(homes.get(0), homes.get(0), "switch", "face=fleet-face-a@1")
                .await("switch").exit());
    }

    /** Writes HOME/FILE.yaml: one of the shared test models (MODEL, relative to them) under a name of the test's. */
    private static void descriptor(Path home, String file, String name, String version, String family, String model)
            throws java.io.IOException {
        Files.writeString(home.resolve(file + ".yaml"), "name: " + name + "\nversion: '" + version + "'\nfamily: "
                + family + "\nartifacts:\n  - source: '" + MODELS.resolve(model).toUri() + "'\n");
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
