package hub.itest;

import static hub.itest.ApiClient.HTTP;
import static hub.itest.ApiClient.assertError;
import static hub.itest.ApiClient.get;
import static hub.itest.ApiClient.json;
import static hub.itest.ApiClient.multipart;
import static hub.itest.ApiClient.port;
import static hub.itest.ApiClient.post;
import static hub.itest.ApiClient.request;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import hub.api.AccessTier;
import hub.api.ArtifactSpec;
import hub.api.ArtifactStore;
import hub.api.Family;
import hub.api.ModelDescriptor;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import hub.api.ProgressListener;
import hub.api.access.ApiKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The HTTP API as a hostile client tries it, over real HTTP on 127.0.0.1: an alias switched to a higher-tier model
 * while requests queue, non-admin keys trying to cause downloads (counted at a real source server), decompression
 * bombs and huge photographs, slow uploads, and every route for every kind of key.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HttpSecurityIT {

    @Inject
    private ModelRegistry registry;
    @Inject
    private ArtifactStore store;
    @Inject
    private ApiKeys keys;
    @Inject
    private ConfigurationAdmin configAdmin;

    private static String admin;
    private static String lite;
    private static String standard;
    private static String professional;
    private static Path models;
    private static Path images;

    /** @return the run bundles of hub.bndrun in a fresh home */
    @Configuration
    public Option[] config() {
        return HubOptions.hub(HubOptions.freshHome("security"));
    }

    @Before
    public void setUp() throws Exception {
        models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        images = models.resolveSibling("images");
        assumeTrue("skipped: real model fixtures not found at " + models,
                Files.isRegularFile(models.resolve("detection/yolov8n-int8.onnx")));
        ApiClient.awaitUp();
        if (admin != null && registry.find(ModelRef.parse("yolo-lite@1")).isPresent()) {
            return;
        }
        admin = keys.create(AccessTier.PROFESSIONAL, true, "admin").secret();
        lite = keys.create(AccessTier.LITE, false, "lite").secret();
        standard = keys.create(AccessTier.STANDARD, false, "standard").secret();
        professional = keys.create(AccessTier.PROFESSIONAL, false, "pro").secret();
        URI yolo = models.resolve("detection/yolov8n-int8.onnx").toUri();
        register("yolo-lite", AccessTier.LITE, Family.DETECTION, yolo);
        register("yolo-pro", AccessTier.PROFESSIONAL, Family.DETECTION, yolo);
        register("mnist-t", AccessTier.LITE, Family.CLASSIFICATION, models.resolve("classification/mnist-8.onnx").toUri());
        for (String m : List.of("yolo-lite@1", "yolo-pro@1", "mnist-t@1")) {
            store.pull(ModelRef.parse(m), ProgressListener.NONE); // in the cache: keys with the tier may use them
        }
        // never pulled: only an admin may cause their bytes to be fetched
        register("uncached-load", AccessTier.LITE, Family.DETECTION, yolo);
        register("uncached-detect", AccessTier.LITE, Family.DETECTION, yolo);
        register("victim", AccessTier.LITE, Family.DETECTION, yolo);
        store.pull(ModelRef.parse("victim@1"), ProgressListener.NONE);
    }

    private void register(String name, AccessTier tier, Family family, URI source) {
        registry.register(new ModelDescriptor(name, "1", family, null, null, null, null, tier, null,
                List.of(new ArtifactSpec("model", source, null, -1, null)), null, null));
    }

    private static byte[] image(String name) throws IOException {
        return Files.readAllBytes(images.resolve(name));
    }

    private void configure(String pid, Map<String, Object> values) throws IOException {
        var config = configAdmin.getConfiguration(pid, "?");
        Hashtable<String, Object> props = new Hashtable<>(values);
        config.update(props);
    }

    // ---- the race ----

    @Test
    public void anAliasSwitchedToAHigherTierModelWhileRequestsQueueNeverAnswersALowerKey() throws Exception {
        configure("hub.http", Map.of("workers", 1, "queue", 64, "maxUploadsPerKey", 64));
        try {
            Thread.sleep(1000); // Configuration Admin applies it asynchronously
            HubOptions.awaitTrue("one worker", () -> {
                try {
                    return post("/api/models/switch", admin, "application/json",
                            "{\"detector\": \"yolo-lite@1\"}".getBytes(StandardCharsets.UTF_8)).statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            byte[] dog = image("dog.jpg");
            byte[] body = multipart("b", Map.of("a.jpg", dog, "b.jpg", dog, "c.jpg", dog));
            ExecutorService clients = Executors.newFixedThreadPool(16);
            Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
            for (int round = 0; round < 20; round++) {
                assertEquals(200, post("/api/models/switch", admin, "application/json",
                        "{\"detector\": \"yolo-lite@1\"}".getBytes(StandardCharsets.UTF_8)).statusCode());
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    answers.add(clients.submit(() -> post("/api/v1/detect", lite, "multipart/form-data; boundary=b",
                            body)));
                }
                Thread.sleep(150); // requests are queued behind the one worker now
                HttpResponse<String> s = post("/api/models/switch", admin, "application/json",
                        "{\"detector\": \"yolo-pro@1\"}".getBytes(StandardCharsets.UTF_8));
                assertEquals(s.body(), 200, s.statusCode());
                for (Future<HttpResponse<String>> f : answers) {
                    HttpResponse<String> r = f.get(120, TimeUnit.SECONDS);
                    String outcome = r.statusCode() == 200 ? "200 " + json(r).get("model").asText()
                            : String.valueOf(r.statusCode());
                    outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                }
                if (round == 0) {
                    // the lite key does not even see where the alias points now, nor the professional model loaded
                    assertFalse(json(get("/models/active", lite)).has("detector"));
                    assertEquals("yolo-pro@1", json(get("/models/active", professional)).get("detector").asText());
                    assertFalse(get("/models/status", lite).body().contains("yolo-pro"));
                    assertTrue(get("/models/status", admin).body().contains("yolo-pro"));
                }
            }
            clients.shutdown();
            System.out.println("race, 20 rounds x 16 lite requests of 3 images, switch lite->professional: " + outcomes);
            assertFalse("a lite key was answered by the professional model: " + outcomes,
                    outcomes.containsKey("200 yolo-pro@1"));
            assertTrue(outcomes.toString(), outcomes.containsKey("200 yolo-lite@1") && outcomes.containsKey("403"));
            assertEquals(outcomes.toString(), 20 * 16, outcomes.values().stream().mapToInt(AtomicInteger::get).sum());
        } finally {
            configAdmin.getConfiguration("hub.http", "?").delete();
            post("/api/models/switch", admin, "application/json",
                    "{\"detector\": \"yolo-lite@1\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    // ---- fetching ----

    @Test
    public void nonAdminKeysCauseNoDownloadAtTheSourceServer() throws Exception {
        byte[] onnx = Files.readAllBytes(models.resolve("detection/yolov8n-int8.onnx"));
        AtomicInteger hits = new AtomicInteger();
        HttpServer source = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        source.createContext("/", exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(200, onnx.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(onnx);
            }
        });
        source.start();
        try {
            configure("hub.store", Map.of("allowHttp", true, "fileRoots", new String[] {models.toAbsolutePath()
                    .normalize().resolve("detection").toString()}));
            Thread.sleep(1000);
            ApiClient.awaitUp();
            // file: sources over HTTP: under the configured root, yes; elsewhere, no
            String under = "name: rooted\nversion: '1'\nfamily: detection\nartifacts:\n  - source: '"
                    + models.toAbsolutePath().normalize().resolve("detection/yolov8n-int8.onnx").toUri() + "'\n";
            String outside = "name: outside\nversion: '1'\nfamily: classification\nartifacts:\n  - source: '"
                    + models.toAbsolutePath().normalize().resolve("classification/mnist-8.onnx").toUri() + "'\n";
            String escape = "name: escape\nversion: '1'\nfamily: detection\nartifacts:\n  - source: '"
                    + models.toAbsolutePath().normalize().resolve("detection/../classification/mnist-8.onnx").toUri()
                    + "'\n";
            HubOptions.awaitTrue("file roots applied", () -> {
                try {
                    return post("/api/v1/models", admin, "application/yaml", under.getBytes(StandardCharsets.UTF_8))
                            .statusCode() == 201;
                } catch (Exception e) {
                    return false;
                }
            });
            assertError(post("/api/v1/models", admin, "application/yaml", outside.getBytes(StandardCharsets.UTF_8)),
                    403, "fileRoots");
            assertError(post("/api/v1/models", admin, "application/yaml", escape.getBytes(StandardCharsets.UTF_8)),
                    403, "fileRoots");
            String name = "remote-" + System.nanoTime();
            register(name, AccessTier.LITE, Family.DETECTION,
                    URI.create("http://127.0.0.1:" + source.getAddress().getPort() + "/yolo.onnx"));
            byte[] dog = image("dog.jpg");
            for (String key : List.of(lite, standard, professional)) {
                assertError(post("/api/v1/models/" + name + "/download", key, null, new byte[0]), 403, "admin");
                assertError(post("/api/v1/models/" + name + "/load", key, null, new byte[0]), 409, "an admin must pull");
                assertError(post("/api/v1/detect?model=" + name + "@1", key, "image/jpeg", dog), 409,
                        "an admin must pull");
                assertError(post("/api/v1/models/" + name + "/validate", key, null, new byte[0]), 403, "admin");
            }
            assertEquals("requests that reached the source server for non-admin keys", 0, hits.get());
            HttpResponse<String> byAdmin = post("/api/v1/detect?model=" + name + "@1", admin, "image/jpeg", dog);
            assertEquals(byAdmin.body(), 200, byAdmin.statusCode());
            assertTrue(hits.get() > 0);
            // now it is cached: the lite key may use it
            assertEquals(200, post("/api/v1/detect?model=" + name + "@1", lite, "image/jpeg", dog).statusCode());
        } finally {
            source.stop(0);
            configAdmin.getConfiguration("hub.store", "?").delete();
            ApiClient.awaitUp();
        }
    }

    // ---- decoding ----

    @Test
    public void decompressionBombsAreRefusedAndHugePhotosDecodeInBoundedMemory() throws Exception {
        configure("hub.http", Map.of("maxUploadsPerKey", 16));
        Thread.sleep(1000);
        ApiClient.awaitUp();
        byte[] bomb = pngBomb(10_000, 10_000);
        byte[] huge = hugeJpeg(8000, 8000);
        System.out.println("PNG bomb: " + bomb.length + " bytes; 8000x8000 JPEG: " + huge.length + " bytes");
        AtomicLong peak = new AtomicLong();
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<HttpResponse<String>>> bombs = new ArrayList<>();
        List<Future<HttpResponse<String>>> photos = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            bombs.add(clients.submit(() -> post("/api/v1/detect?model=yolo-lite@1", lite, "image/png", bomb)));
            photos.add(clients.submit(() -> post("/api/v1/detect?model=yolo-lite@1", lite, "image/jpeg", huge)));
        }
        Map<Integer, Integer> statuses = new LinkedHashMap<>();
        for (Future<HttpResponse<String>> f : bombs) {
            HttpResponse<String> r = f.get(120, TimeUnit.SECONDS);
            statuses.merge(r.statusCode(), 1, Integer::sum);
            assertError(r, 413, "10000x10000 png, 4 x 16-bit samples (800 MB decoded)");
        }
        for (Future<HttpResponse<String>> f : photos) {
            HttpResponse<String> r = f.get(120, TimeUnit.SECONDS);
            statuses.merge(r.statusCode(), 1, Integer::sum);
            assertEquals(r.body(), 200, r.statusCode());
            JsonNode box = json(r).at("/results/0/value/0/box");
            assertFalse("the drawn disc is found in the original image's pixels: " + r.body(), box.isMissingNode());
            assertTrue(r.body(), box.get("x").asDouble() > 2000 && box.get("x").asDouble() < 6000);
        }
        long took = (System.nanoTime() - t0) / 1_000_000;
        sampler.interrupt();
        clients.shutdown();
        System.out.printf("8 bombs + 8 photos of 8000x8000 at once: statuses %s in %d ms, heap used before %d MB, peak %d"
                + " MB (max heap %d MB)%n", statuses, took, before >> 20, peak.get() >> 20, rt.maxMemory() >> 20);
        configAdmin.getConfiguration("hub.http", "?").delete();
        assertTrue("heap peak " + (peak.get() >> 20) + " MB", peak.get() - before < 1024L << 20);
    }

    /** A PNG of WIDTH x HEIGHT 16-bit RGBA pixels, all zero: under a megabyte on the wire, 800 MB decoded. */
    static byte[] pngBomb(int width, int height) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        java.io.DataOutputStream d = new java.io.DataOutputStream(ihdr);
        d.writeInt(width);
        d.writeInt(height);
        d.write(new byte[] {16, 6, 0, 0, 0}); // 16 bits, RGBA, deflate, no filter method, no interlace
        chunk(png, "IHDR", ihdr.toByteArray());
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new java.util.zip.Deflater(9), 1 << 16)) {
            byte[] row = new byte[1 + width * 8];
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        }
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        java.io.DataOutputStream d = new java.io.DataOutputStream(out);
        d.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    /** A large JPEG: a real photograph (dog.jpg) drawn in its middle on a plain background. */
    private static byte[] hugeJpeg(int width, int height) throws IOException {
        java.awt.image.BufferedImage dog = javax.imageio.ImageIO.read(images.resolve("dog.jpg").toFile());
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(width, height,
                java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(new java.awt.Color(200, 200, 200));
        g.fillRect(0, 0, width, height);
        g.drawImage(dog, width / 4, height / 4, width / 2, height / 2, null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    // ---- slow clients ----

    @Test
    public void slowUploadsAreBoundedAndAGoodClientIsAnsweredAtOnce() throws Exception {
        configure("hub.http", Map.of("uploadGraceSeconds", 2));
        Thread.sleep(500);
        ApiClient.awaitUp();
        byte[] warm = image("dog.jpg");
        assertEquals(200, post("/api/v1/detect?model=yolo-lite@1", standard, "image/jpeg", warm).statusCode());
        List<Socket> slow = new ArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        ExecutorService readers = Executors.newFixedThreadPool(64);
        try {
            long start = System.nanoTime();
            for (int i = 0; i < 250; i++) {
                Socket s = new Socket("127.0.0.1", port());
                s.setSoTimeout(30_000);
                s.getOutputStream().write(("POST /api/v1/detect?model=yolo-lite@1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + lite + "\r\nContent-Type: image/jpeg\r\nContent-Length: 1048576"
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
            }
            for (Socket s : slow) {
                readers.submit(() -> {
                    try (InputStream in = s.getInputStream()) {
                        if (in.read() != -1) {
                            answered.incrementAndGet();
                        }
                    } catch (IOException e) {
                        // closed: counted as not answered
                    }
                    return null;
                });
            }
            Thread trickle = new Thread(() -> {
                for (int t = 0; t < 15 && !Thread.currentThread().isInterrupted(); t++) {
                    for (Socket s : slow) {
                        try {
                            s.getOutputStream().write(0xff);
                        } catch (IOException e) {
                            // the server gave up on it
                        }
                    }
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            trickle.setDaemon(true);
            trickle.start();
            Thread.sleep(1500);
            byte[] dog = image("dog.jpg");
            long t0 = System.nanoTime();
            HttpResponse<String> good = post("/api/v1/detect?model=yolo-lite@1", standard, "image/jpeg", dog);
            long goodMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(good.body(), 200, good.statusCode());
            readers.shutdown();
            assertTrue("slow uploads still open", readers.awaitTermination(20, TimeUnit.SECONDS));
            long allMs = (System.nanoTime() - start) / 1_000_000;
            trickle.interrupt();
            System.out.printf("250 uploads at 1 byte/s: a good client answered in %d ms; all %d slow connections answered"
                    + " (429 or 408) within %d ms%n", goodMs, answered.get(), allMs);
            assertTrue("good client took " + goodMs + " ms", goodMs < 1000);
            assertEquals(250, answered.get());
        } finally {
            readers.shutdownNow();
            for (Socket s : slow) {
                s.close();
            }
            configAdmin.getConfiguration("hub.http", "?").delete();
        }
    }

    // ---- every route for every kind of key ----

    /** A route and the status each caller gets: no key, a wrong key, lite, standard, professional, admin. */
    private record Row(String method, String path, String body, int... expected) {
    }

    @Test
    public void everyRouteAnswersEachKindOfKeyAsTheAccessTableSays() throws Exception {
        String wrong = "vmh_000000000000_forged";
        List<String> callers = new ArrayList<>();
        callers.add(null);
        callers.add(wrong);
        callers.add(lite);
        callers.add(standard);
        callers.add(professional);
        callers.add(admin);
        int[] open = {200, 200, 200, 200, 200, 200};
        int[] anyKey = {401, 401, 200, 200, 200, 200};
        int[] proTier = {401, 401, 403, 403, 200, 200};
        int[] adminOnly = {401, 401, 403, 403, 403, 200};
        List<Row> rows = List.of(
                new Row("GET", "/api/openapi.json", null, open),
                new Row("GET", "/api/v1/health", null, open),
                new Row("GET", "/api/v1/models", null, anyKey),
                new Row("GET", "/api/v1/models/yolo-lite", null, anyKey),
                new Row("GET", "/api/v1/models/yolo-pro", null, proTier),
                new Row("GET", "/api/v1/cache", null, anyKey),
                new Row("GET", "/api/v1/device", null, anyKey),
                new Row("GET", "/api/v1/status", null, anyKey),
                new Row("GET", "/api/v1/active", null, anyKey),
                new Row("GET", "/api/v1/embedders", null, anyKey),
                new Row("GET", "/api/models", null, anyKey),
                new Row("GET", "/models/active", null, anyKey),
                new Row("GET", "/models/status", null, anyKey),
                new Row("GET", "/api/v1/jobs/00000000-0000-0000-0000-000000000000", null, 401, 401, 403, 403, 403, 404),
                new Row("POST", "/api/v1/models", "name: [broken", 401, 401, 403, 403, 403, 400),
                new Row("POST", "/api/v1/models/yolo-lite/download", "", 401, 401, 403, 403, 403, 202),
                new Row("POST", "/api/v1/models/yolo-pro/download", "", 401, 401, 403, 403, 403, 202),
                new Row("POST", "/api/v1/models/yolo-lite/validate", "", adminOnly),
                new Row("POST", "/api/v1/models/yolo-lite/load", "", anyKey),
                new Row("POST", "/api/v1/models/yolo-pro/load", "", proTier),
                new Row("POST", "/api/v1/models/uncached-load/load", "", 401, 401, 409, 409, 409, 200),
                new Row("POST", "/api/v1/detect?model=yolo-lite@1", "dog.jpg", anyKey),
                new Row("POST", "/api/v1/detect?model=yolo-pro@1", "dog.jpg", proTier),
                new Row("POST", "/api/v1/detect?model=uncached-detect@1", "dog.jpg", 401, 401, 409, 409, 409, 200),
                new Row("POST", "/api/v1/classify?model=mnist-t@1", "dog.jpg", anyKey),
                new Row("POST", "/api/models/switch", "{\"classifier\": \"mnist-t@1\"}", adminOnly),
                new Row("POST", "/api/v1/models/mnist-t/unload", "", adminOnly),
                new Row("DELETE", "/api/v1/models/victim@1", null, adminOnly),
                new Row("GET", "/api/v1/nowhere", null, 401, 401, 404, 404, 404, 404));
        byte[] dog = image("dog.jpg");
        List<String> wrongAnswers = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        for (Row row : rows) {
            table.append(String.format("%-6s %-58s", row.method(), row.path()));
            for (int c = 0; c < callers.size(); c++) {
                HttpRequest.Builder b = request(row.path(), callers.get(c));
                byte[] body = row.body() == null ? null : row.body().equals("dog.jpg") ? dog
                        : row.body().getBytes(StandardCharsets.UTF_8);
                if (row.method().equals("GET")) {
                    b.GET();
                } else if (row.method().equals("DELETE")) {
                    b.DELETE();
                } else {
                    b.POST(HttpRequest.BodyPublishers.ofByteArray(body == null ? new byte[0] : body));
                    b.header("Content-Type", row.body() != null && row.body().startsWith("{") ? "application/json"
                            : row.body() != null && row.body().startsWith("name") ? "application/yaml" : "image/jpeg");
                }
                HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
                table.append(String.format(" %4d", r.statusCode()));
                if (r.statusCode() != row.expected()[c]) {
                    wrongAnswers.add(row.method() + " " + row.path() + " as " + List.of("none", "wrong", "lite",
                            "standard", "professional", "admin").get(c) + ": " + r.statusCode() + " (expected "
                            + row.expected()[c] + ") " + r.body());
                }
            }
            table.append('\n');
        }
        System.out.println("route x key (none, wrong, lite, standard, professional, admin):\n" + table);
        assertTrue(String.join("\n", wrongAnswers), wrongAnswers.isEmpty());
    }
}
