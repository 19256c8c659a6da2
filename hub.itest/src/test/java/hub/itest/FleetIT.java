package hub.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import hub.state.postgres.internal.PostgresServer;
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
    }

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

    private static String active(int hub) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(bases.get(hub) + "/models/active")).header("Authorization",
                "Bearer " + keys.get(hub)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
