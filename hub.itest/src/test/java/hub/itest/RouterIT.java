package hub.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.state.postgres.internal.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * Three {@code hub serve} processes on one PostgreSQL behind Debian's HAProxy, configured by the repository's own
 * {@code examples/fleet/haproxy.cfg}: consistent hashing keeps each model on one hub, and under load from several
 * clients a fleet switch, a hub killed with SIGKILL and a fourth hub joining fail no request. The tests run in order,
 * on one fleet.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class RouterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MODELS = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
    private static final Path CONFIG = Path.of("..", "examples", "fleet", "haproxy.cfg");
    private static final int MODELS_ROUTED = 8;
    private static PostgresServer db;
    private static final List<Path> homes = new ArrayList<>();
    private static final List<Integer> ports = new ArrayList<>();
    private static final List<HubCommandLineIT.Started> serves = new ArrayList<>();
    private static Process router;
    private static String routed;
    private static String stats;
    private static String key;
    private static byte[] photo;

    @BeforeClass
    public static void fleet() throws Exception {
        Assume.assumeTrue("skipped: PostgreSQL is not installed (.ci/run installs Debian's postgresql)",
                PostgresServer.binaries().isPresent());
        Assume.assumeTrue("skipped: HAProxy is not installed (.ci/run installs Debian's haproxy)",
                Files.isExecutable(Path.of("/usr/sbin/haproxy")));
        Assume.assumeTrue("skipped: no test models in " + MODELS, Files.isDirectory(MODELS));
        db = PostgresServer.start();
        for (int i = 0; i < 4; i++) {
            Path home = HubOptions.freshHome("routed-" + i);
            Files.createDirectories(home.resolve("config"));
            Files.writeString(home.resolve("config/hub.state.cfg"), "store=postgresql\nurl=" + db.url() + "\nuser=hub\n");
            homes.add(home);
            ports.add(HubOptions.freePort());
        }
        for (int i = 0; i < 3; i++) {
            serve(i);
        }
        for (int i = 0; i < 3; i++) {
            awaitServing(i);
        }
        Path home = homes.get(0);
        HubCommandLineIT.Run k = HubCommandLineIT.served(home, home, "key", "create", "--tier", "professional",
                "--admin").await("key");
        assertEquals(k.err(), 0, k.exit());
        key = k.out().lines().findFirst().orElseThrow().trim();
        // one detector file under ten names: eight models for the hash to spread, two for the detector alias (which
        // every hub loads: a fleet switch prepares its model on all of them)
        List<String> names = new ArrayList<>(List.of("det-a", "det-b"));
        for (int m = 0; m < MODELS_ROUTED; m++) {
            names.add("det-" + m);
        }
        for (String name : names) {
            Files.writeString(home.resolve(name + ".yaml"), "name: " + name + "\nversion: '1'\nfamily: detection"
                    + "\nartifacts:\n  - source: '" + MODELS.resolve("detection/yolov8n-int8.onnx").toUri() + "'\n");
            HubCommandLineIT.Run r = HubCommandLineIT.served(home, home, "register", name + ".yaml").await("register");
            assertEquals(r.err(), 0, r.exit());
        }
        HubCommandLineIT.Run sw = HubCommandLineIT.served(home, home, "switch", "detector=det-a@1").await("switch");
        assertEquals(sw.err(), 0, sw.exit());
        photo = Files.readAllBytes(MODELS.resolveSibling("images").resolve("dog.jpg"));

        int routerPort = HubOptions.freePort();
        int statsPort = HubOptions.freePort();
        ProcessBuilder pb = new ProcessBuilder("/usr/sbin/haproxy", "-db", "-f", CONFIG.toString())
                .redirectErrorStream(true).redirectOutput(homes.get(0).resolve("haproxy.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("HUB_ROUTER_BIND", "127.0.0.1:" + routerPort);
        env.put("HUB_ROUTER_STATS", "127.0.0.1:" + statsPort);
        for (int i = 0; i < 4; i++) {
            env.put("HUB" + (i + 1), "127.0.0.1:" + ports.get(i));
        }
        router = pb.start();
        routed = "http://127.0.0.1:" + routerPort;
        stats = "http://127.0.0.1:" + statsPort + "/stats;csv";
        long deadline = System.currentTimeMillis() + 30_000;
        // HAProxy 2.6 starts every server as up: nothing serving at hub4's address, it goes down after two checks
        while (serverStates().values().stream().filter("UP"::equals).count() < 3
                || !"DOWN".equals(serverStates().get("hub4"))) {
            assertTrue("the router never saw three hubs ready: " + serverStates() + "\n"
                    + Files.readString(homes.get(0).resolve("haproxy.log")), System.currentTimeMillis() < deadline);
            Thread.sleep(200);
        }
    }

    private static void serve(int i) throws Exception {
        // the fourth announces itself by a name of its own in the fleet's hubs table, as a pod does (HUB_ADDRESS)
        Map<String, String> env = i == 3 ? Map.of("HUB_DAEMON", "false", "HUB_ADDRESS", "http://localhost:"
                + ports.get(i) + "/") : Map.of("HUB_DAEMON", "false");
        serves.add(HubCommandLineIT.start(env, homes.get(i), homes.get(i), "serve", "--port",
                String.valueOf(ports.get(i))));
    }

    private static void awaitServing(int i) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.readString(serves.get(i).out()).contains("HTTP API and web page on")) {
            assertTrue("hub serve " + i + " did not come up: " + Files.readString(serves.get(i).err()),
                    System.currentTimeMillis() < deadline);
            Thread.sleep(100);
        }
    }

    @AfterClass
    public static void stop() throws Exception {
        if (router != null) {
            router.destroy();
            router.waitFor(10, TimeUnit.SECONDS);
        }
        for (int i = 0; i < serves.size(); i++) {
            if (serves.get(i).process().isAlive()) {
                HubCommandLineIT.served(homes.get(i), homes.get(i), "stop").await("stop");
                serves.get(i).process().waitFor(30, TimeUnit.SECONDS);
            }
        }
        if (db != null) {
            db.close();
        }
    }

    /** @return each server's state in the router (UP, DOWN, ...), from HAProxy's CSV statistics */
    private static Map<String, String> serverStates() throws Exception {
        return statsColumn("status");
    }

    private static Map<String, String> statsColumn(String column) throws Exception {
        Map<String, String> out = new HashMap<>();
        String csv;
        try {
            csv = send(HttpClient.newHttpClient(), HttpRequest.newBuilder(URI.create(stats)).build()).body();
        } catch (java.io.IOException e) {
            return out; // the router is starting
        }
        List<String> lines = csv.lines().toList();
        List<String> head = Arrays.asList(lines.get(0).replaceFirst("^# ", "").split(","));
        int name = head.indexOf("svname");
        int col = head.indexOf(column);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f[0].equals("hubs") && f[name].startsWith("hub")) {
                out.put(f[name], f[col]);
            }
        }
        return out;
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest r) throws Exception {
        return client.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest detect(String base, String model) {
        return HttpRequest.newBuilder(URI.create(base + "/api/v1/detect" + (model == null ? "" : "?model=" + model)))
                .header("Authorization", "Bearer " + key).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build();
    }

    /** The models each live hub has loaded. */
    private static Map<Integer, List<String>> loaded() throws Exception {
        Map<Integer, List<String>> out = new HashMap<>();
        HttpClient c = HttpClient.newHttpClient();
        for (int i = 0; i < serves.size(); i++) {
            if (!serves.get(i).process().isAlive()) {
                continue;
            }
            JsonNode status = JSON.readTree(send(c, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(i)
                    + "/api/v1/status")).header("Authorization", "Bearer " + key).build()).body());
            List<String> names = new ArrayList<>();
            for (JsonNode m : status.path("loaded").isArray() ? status.path("loaded") : status) {
                String ref = m.path("ref").asText(m.path("model").asText());
                if (ref.matches("det-[0-9]+@1")) {
                    names.add(ref.replace("@1", ""));
                }
            }
            out.put(i, names);
        }
        return out;
    }

    /** Clients sending detections for every routed model and the detector alias through the router. */
    private static final class Load implements AutoCloseable {
        final AtomicInteger ok = new AtomicInteger();
        final Queue<String> failed = new ConcurrentLinkedQueue<>();
        private volatile boolean stop;
        private final List<Thread> threads = new ArrayList<>();

        Load(int clients) {
            for (int i = 0; i < clients; i++) {
                int first = i;
                Thread t = new Thread(() -> {
                    HttpClient client = HttpClient.newHttpClient();
                    for (int n = first; !stop; n++) {
                        String model = n % (MODELS_ROUTED + 1) == MODELS_ROUTED ? null : "det-" + n % (MODELS_ROUTED + 1);
                        try {
                            HttpResponse<String> r = send(client, detect(routed, model));
                            if (r.statusCode() == 200) {
                                ok.incrementAndGet();
                            } else {
                                failed.add(model + ": " + r.statusCode() + " " + r.body());
                            }
                        } catch (Exception e) {
                            failed.add(model + ": " + e);
                        }
                    }
                }, "routed-load-" + i);
                t.start();
                threads.add(t);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            for (Thread t : threads) {
                t.join(120_000);
            }
        }
    }

    @Test
    public void a_consistentHashingKeepsEachModelOnOneHub() throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        for (int round = 0; round < 3; round++) {
            for (int m = 0; m < MODELS_ROUTED; m++) {
                HttpResponse<String> r = send(c, detect(routed, "det-" + m));
                assertEquals(r.body(), 200, r.statusCode());
            }
        }
        Map<Integer, List<String>> loaded = loaded();
        List<String> all = loaded.values().stream().flatMap(List::stream).sorted().toList();
        assertEquals("each model loaded on exactly one hub: " + loaded, MODELS_ROUTED, all.size());
        assertEquals(loaded.toString(), MODELS_ROUTED, all.stream().distinct().count());
        assertTrue("the models spread over the hubs: " + loaded, loaded.values().stream().filter(l -> !l.isEmpty())
                .count() >= 2);
        System.out.println("consistent hashing, models loaded per hub: " + loaded);

        // the router's cost per request: the same calls straight to the hub that has the model and through the router,
        // alternating, one at a time
        int owner = loaded.entrySet().stream().filter(e -> e.getValue().contains("det-0")).findFirst().orElseThrow()
                .getKey();
        String direct = "http://127.0.0.1:" + ports.get(owner);
        long[] viaRouter = new long[40];
        long[] straight = new long[40];
        long[] readyRouter = new long[200];
        long[] readyStraight = new long[200];
        for (int i = 0; i < 40; i++) {
            straight[i] = timed(c, detect(direct, "det-0"));
            viaRouter[i] = timed(c, detect(routed, "det-0"));
        }
        for (int i = 0; i < 200; i++) {
            readyStraight[i] = timed(c, HttpRequest.newBuilder(URI.create(direct + "/v2/models/det-0/ready"))
                    .header("Authorization", "Bearer " + key).build());
            readyRouter[i] = timed(c, HttpRequest.newBuilder(URI.create(routed + "/v2/models/det-0/ready"))
                    .header("Authorization", "Bearer " + key).build());
        }
        System.out.printf("router overhead per request (p50, alternating, one client): detect %.2f ms straight vs"
                + " %.2f ms routed (+%.2f ms); GET /v2/models/det-0/ready %.3f ms vs %.3f ms (+%.3f ms)%n",
                p50(straight), p50(viaRouter), p50(viaRouter) - p50(straight), p50(readyStraight), p50(readyRouter),
                p50(readyRouter) - p50(readyStraight));

        // throughput with 4 clients: one hub alone (its model) against the fleet through the router (every model)
        double one = throughput(4, 6_000, () -> detect(direct, "det-0"));
        int[] next = {0};
        double fleet = throughput(4, 6_000, () -> detect(routed, "det-" + (next[0]++ % MODELS_ROUTED)));
        System.out.printf("throughput, 4 clients, %d cores: one hub %.1f detections/s, three hubs behind the router"
                + " %.1f/s (%.2fx)%n", Runtime.getRuntime().availableProcessors(), one, fleet, fleet / one);
    }

    private static double throughput(int clients, long millis, java.util.function.Supplier<HttpRequest> request)
            throws Exception {
        AtomicInteger done = new AtomicInteger();
        Queue<String> failed = new ConcurrentLinkedQueue<>();
        long end = System.currentTimeMillis() + millis;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(() -> {
                HttpClient c = HttpClient.newHttpClient();
                while (System.currentTimeMillis() < end) {
                    try {
                        HttpRequest r;
                        synchronized (request) {
                            r = request.get();
                        }
                        HttpResponse<String> res = send(c, r);
                        if (res.statusCode() == 200) {
                            done.incrementAndGet();
                        } else {
                            failed.add(res.statusCode() + " " + res.body());
                        }
                    } catch (Exception e) {
                        failed.add(e.toString());
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue("failed: " + failed, failed.isEmpty());
        return done.get() * 1000.0 / millis;
    }

    private static long timed(HttpClient c, HttpRequest r) throws Exception {
        long t = System.nanoTime();
        HttpResponse<String> res = send(c, r);
        long took = System.nanoTime() - t;
        assertEquals(res.body(), 200, res.statusCode());
        return took;
    }

    private static double p50(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }

    @Test
    public void b_aFleetSwitchBehindTheRouterFailsNoRequest() throws Exception {
        Path home = homes.get(0);
        Load load = new Load(4);
        HubCommandLineIT.Run sw;
        try {
            Thread.sleep(2_000);
            sw = HubCommandLineIT.served(home, home, "switch", "detector=det-b@1").await("switch");
            Thread.sleep(2_000);
        } finally {
            load.close();
        }
        assertEquals(sw.err(), 0, sw.exit());
        assertTrue("failed: " + load.failed, load.failed.isEmpty());
        assertTrue(load.ok.get() > 0);
        System.out.println("fleet switch behind the router: " + load.ok.get() + " requests, 0 failed");
    }

    @Test
    public void c_aHubKilledUnderLoadFailsNoRequest() throws Exception {
        // the hub with the most models, so that the requests in flight and the next ones for them must move
        Map<Integer, List<String>> loaded = loaded();
        int victim = loaded.entrySet().stream().max(java.util.Comparator.comparingInt(e -> e.getValue().size()))
                .orElseThrow().getKey();
        Load load = new Load(4);
        long killed;
        try {
            Thread.sleep(3_000);
            killed = System.nanoTime();
            serves.get(victim).process().descendants().forEach(ProcessHandle::destroyForcibly); // SIGKILL the JVM
            serves.get(victim).process().waitFor(30, TimeUnit.SECONDS);
            long deadline = System.currentTimeMillis() + 30_000;
            while (!"DOWN".equals(serverStates().get("hub" + (victim + 1)))) {
                assertTrue(System.currentTimeMillis() < deadline);
                Thread.sleep(100);
            }
            System.out.printf("hub%d killed: the router took it out after %.1f s%n", victim + 1,
                    (System.nanoTime() - killed) / 1e9);
            Thread.sleep(4_000);
        } finally {
            load.close();
        }
        assertTrue("failed: " + load.failed, load.failed.isEmpty());
        Map<Integer, List<String>> after = loaded();
        List<String> all = after.values().stream().flatMap(List::stream).distinct().toList();
        assertEquals("every model served by a live hub: " + after, MODELS_ROUTED, all.size());
        System.out.println("hub" + (victim + 1) + " killed under load: " + load.ok.get()
                + " requests, 0 failed; loaded after: " + after);
    }

    @Test
    public void d_aNewHubJoinsWhenReady() throws Exception {
        Map<String, String> before = statsColumn("stot");
        assertEquals("0", before.getOrDefault("hub4", "0"));
        Load load = new Load(4);
        try {
            serve(3);
            awaitServing(3);
            long deadline = System.currentTimeMillis() + 30_000;
            while (!"UP".equals(serverStates().get("hub4"))) {
                assertTrue("hub4 never came up in the router: " + serverStates(), System.currentTimeMillis() < deadline);
                Thread.sleep(100);
            }
            deadline = System.currentTimeMillis() + 30_000;
            while (Long.parseLong(statsColumn("stot").get("hub4")) == 0) {
                assertTrue("hub4 received no request", System.currentTimeMillis() < deadline);
                Thread.sleep(100);
            }
            Thread.sleep(2_000);
        } finally {
            load.close();
        }
        assertTrue("failed: " + load.failed, load.failed.isEmpty());
        HubCommandLineIT.Run fleet = HubCommandLineIT.served(homes.get(3), homes.get(3), "fleet").await("fleet");
        assertTrue(fleet.out(), fleet.out().contains("http://localhost:" + ports.get(3) + " "));
        System.out.println("hub4 joined: " + statsColumn("stot").get("hub4") + " requests routed to it, "
                + load.ok.get() + " requests in all, 0 failed; loaded now: " + loaded());
    }
}
