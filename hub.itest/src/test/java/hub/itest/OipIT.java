package hub.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import hub.runtime.testing.TinyOnnx;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The Open Inference Protocol v2 and {@code /metrics} of a real {@code hub serve}, over real HTTP: each JSON answer
 * validated against the protocol's own OpenAPI file ({@code ../shared/specs/open-inference-protocol}) by a
 * third-party JSON-schema validator; tensors checked against the same model run in this JVM by ONNX Runtime; the
 * metrics read by Debian's {@code promtool} and scraped by a real Prometheus server.
 */
public class OipIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String METRICS_TOKEN = "scrape-me-0123456789";
    private static Path home;
    private static Path models;
    private static String base;
    private static String admin;
    private static String lite;
    private static HubCommandLineIT.Started serve;
    private static Map<String, Schema> schemas;

    @BeforeClass
    public static void serve() throws Exception {
        models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        Path spec = Path.of(System.getProperty("hub.test.models", "../../shared/models")).getParent()
                .resolve("specs/open-inference-protocol/open_inference_rest.yaml");
        Assume.assumeTrue("skipped: real model fixtures not found at " + models,
                Files.isRegularFile(models.resolve("classification/mnist-8.onnx")));
        Assume.assumeTrue("skipped: the protocol's OpenAPI file is not at " + spec, Files.isRegularFile(spec));
        schemas = schemas(spec);
        home = HubOptions.freshHome("oip");
        Files.write(home.resolve("identities.onnx"), TinyOnnx.identities());
        register("mnist.yaml", "mnist", "8", "classification", models.resolve("classification/mnist-8.onnx"));
        register("yolo.yaml", "yolo-local", "1", "detection", models.resolve("detection/yolov8n-int8.onnx"));
        register("id.yaml", "identities", "1", "onnx", home.resolve("identities.onnx"));
        for (String name : List.of("mnist", "yolo-local", "identities")) {
            HubCommandLineIT.Run pull = HubCommandLineIT.start(home, home, "pull", name).await("pull " + name);
            assertEquals(pull.err(), 0, pull.exit());
        }
        // scrapes must send a token (the default, without one, is loopback clients only)
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/hub.metrics.cfg"), "token=" + METRICS_TOKEN + "\n");
        int port = HubOptions.freePort();
        base = "http://127.0.0.1:" + port;
        serve = HubCommandLineIT.start(home, home, "serve", "--port", String.valueOf(port));
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(home.resolve("run/hub.sock")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        admin = key("--tier", "professional", "--admin");
        lite = key("--tier", "lite");
        HubCommandLineIT.Run sw = HubCommandLineIT.served(home, home, "switch", "detector=yolo-local@1").await("switch");
        assertEquals(sw.err(), 0, sw.exit());
    }

    @AfterClass
    public static void stop() throws Exception {
        if (serve != null) {
            HubCommandLineIT.served(home, home, "stop").await("stop");
            serve.process().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void register(String file, String name, String version, String family, Path model)
            throws Exception {
        Files.writeString(home.resolve(file), "name: " + name + "\nversion: '" + version + "'\nfamily: " + family
                + "\ntier: lite\nartifacts:\n  - source: '" + model.toUri() + "'\n");
        HubCommandLineIT.Run r = HubCommandLineIT.start(home, home, "register", file).await("register " + name);
        assertEquals(r.err(), 0, r.exit());
    }

    private static String key(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("key", "create"));
        cmd.addAll(List.of(args));
        HubCommandLineIT.Run r = HubCommandLineIT.served(home, home, cmd.toArray(String[]::new)).await("key");
        assertEquals(r.err(), 0, r.exit());
        return r.out().lines().findFirst().orElseThrow().trim();
    }

    /** Each schema of the OpenAPI file's components, as a JSON Schema (draft 4, which OpenAPI 3.0's schemas follow). */
    private static Map<String, Schema> schemas(Path spec) throws Exception {
        JsonNode components = new YAMLMapper().readTree(spec.toFile()).get("components");
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
        Map<String, Schema> out = new java.util.HashMap<>();
        components.get("schemas").fieldNames().forEachRemaining(name -> {
            ObjectNode doc = JSON.createObjectNode();
            doc.put("$ref", "#/components/schemas/" + name);
            doc.set("components", components);
            out.put(name, registry.getSchema(doc.toString()));
        });
        return out;
    }

    /** Validates a JSON body against a schema of the protocol and returns it. */
    private static JsonNode valid(String schema, String body) throws Exception {
        List<com.networknt.schema.Error> errors = schemas.get(schema).validate(body, InputFormat.JSON);
        assertTrue(schema + ": " + errors + "\n" + body, errors.isEmpty());
        return JSON.readTree(body);
    }

    private static HttpResponse<byte[]> get(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> post(String path, String key, byte[] body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Authorization", "Bearer " + key)
                .header("Content-Type", headers.containsKey("Inference-Header-Content-Length")
                        ? "application/octet-stream" : "application/json");
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    public void healthMetadataAndErrorsFollowTheSpecification() throws Exception {
        HttpResponse<byte[]> server = get("/v2", null);
        assertEquals(200, server.statusCode());
        JsonNode s = valid("metadata_server_response", text(server));
        assertTrue(s.toString(), s.get("extensions").toString().contains("binary_tensor_data"));
        assertEquals(200, get("/v2/health/live", null).statusCode());
        assertEquals("the hub's components are up", 200, get("/v2/health/ready", null).statusCode());

        HttpResponse<byte[]> meta = get("/v2/models/mnist", admin);
        assertEquals(text(meta), 200, meta.statusCode());
        JsonNode m = valid("metadata_model_response", text(meta));
        assertEquals("onnx_onnxv1", m.get("platform").asText());
        assertEquals("[\"8\"]", m.get("versions").toString());
        assertEquals("Input3", m.get("inputs").get(0).get("name").asText());
        assertEquals("FP32", m.get("inputs").get(0).get("datatype").asText());
        assertEquals("[1,1,28,28]", m.get("inputs").get(0).get("shape").toString());
        valid("metadata_model_response", text(get("/v2/models/mnist/versions/8", admin)));
        JsonNode id = valid("metadata_model_response", text(get("/v2/models/identities", lite)));
        assertEquals("dynamic dimensions are -1", "[-1,3]", id.get("inputs").get(0).get("shape").toString());
        // an alias is a model name: its metadata names the catalog model it points to
        JsonNode alias = valid("metadata_model_response", text(get("/v2/models/detector", admin)));
        assertEquals("yolo-local@1", alias.get("properties").get("model").asText());
        assertEquals("detect", alias.get("properties").get("tasks").asText());
        assertEquals(200, get("/v2/models/mnist/ready", admin).statusCode());

        // errors: {"error": "..."} with the status a client expects
        HttpResponse<byte[]> unknown = get("/v2/models/nosuch", admin);
        assertEquals(404, unknown.statusCode());
        valid("metadata_model_error_response", text(unknown));
        HttpResponse<byte[]> nokey = get("/v2/models/mnist", null);
        assertEquals(401, nokey.statusCode());
        assertTrue(text(nokey), valid("metadata_model_error_response", text(nokey)).get("error").asText()
                .contains("missing API key"));
        HttpResponse<byte[]> badType = post("/v2/models/mnist/infer", admin, ("{\"inputs\": [{\"name\": \"Input3\","
                + " \"shape\": [1, 1, 28, 28], \"datatype\": \"FP64\", \"data\": " + zeros(784) + "}]}")
                .getBytes(StandardCharsets.UTF_8), Map.of());
        assertEquals(400, badType.statusCode());
        assertEquals("input 'Input3' is FP32, got FP64",
                valid("inference_error_response", text(badType)).get("error").asText());
        HttpResponse<byte[]> badCount = post("/v2/models/mnist/infer", admin, ("{\"inputs\": [{\"name\": \"Input3\","
                + " \"shape\": [1, 1, 28, 28], \"datatype\": \"FP32\", \"data\": [1, 2]}]}")
                .getBytes(StandardCharsets.UTF_8), Map.of());
        assertEquals(400, badCount.statusCode());
        assertTrue(text(badCount), text(badCount).contains("needs 784 elements, \\\"data\\\" has 2"));
        HttpResponse<byte[]> notJson = post("/v2/models/mnist/infer", admin, "{\"inputs\": [".getBytes(), Map.of());
        assertEquals(400, notJson.statusCode());
        assertTrue(text(notJson), text(notJson).contains("not JSON"));
    }

    private static String zeros(int n) {
        return "[" + String.join(",", java.util.Collections.nCopies(n, "0")) + "]";
    }

    @Test
    public void tensorsRoundTripInJsonAndBinaryAsTheSessionComputesThemInProcess() throws Exception {
        Random random = new Random(7);
        float[] pixels = new float[784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        float[] expected;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(models.resolve("classification/mnist-8.onnx").toString());
                OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {1, 1, 28, 28});
                OrtSession.Result out = session.run(Map.of("Input3", in))) {
            expected = ((float[][]) out.get(0).getValue())[0];
        }
        // JSON, nested data
        ObjectNode request = JSON.createObjectNode();
        request.put("id", "r1");
        ObjectNode input = request.putArray("inputs").addObject();
        input.put("name", "Input3").put("datatype", "FP32");
        input.putArray("shape").add(1).add(1).add(28).add(28);
        ArrayNode rows = input.putArray("data").addArray().addArray();
        for (int y = 0; y < 28; y++) {
            ArrayNode row = rows.addArray();
            for (int x = 0; x < 28; x++) {
                row.add(pixels[y * 28 + x]);
            }
        }
        request.putArray("outputs").addObject().put("name", "Plus214_Output_0");
        HttpResponse<byte[]> json = post("/v2/models/mnist/infer", lite, JSON.writeValueAsBytes(request), Map.of());
        assertEquals(text(json), 200, json.statusCode());
        JsonNode answer = valid("inference_response", text(json));
        assertEquals("r1", answer.get("id").asText());
        assertEquals("mnist", answer.get("model_name").asText());
        assertEquals("8", answer.get("model_version").asText());
        JsonNode output = answer.get("outputs").get(0);
        assertEquals("[1,10]", output.get("shape").toString());
        float[] got = new float[10];
        for (int i = 0; i < 10; i++) {
            got[i] = (float) output.get("data").get(i).asDouble();
        }
        assertArrayEquals("the same numbers as the session in this JVM", expected, got, 1e-5f);

        // binary in, binary out
        ByteBuffer raw = ByteBuffer.allocate(784 * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(pixels);
        byte[] header = ("{\"inputs\": [{\"name\": \"Input3\", \"shape\": [1, 1, 28, 28], \"datatype\": \"FP32\","
                + " \"parameters\": {\"binary_data_size\": 3136}}], \"parameters\": {\"binary_data_output\": true}}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> binary = post("/v2/models/mnist/versions/8/infer", lite, concat(header, raw.array()),
                Map.of("Inference-Header-Content-Length", String.valueOf(header.length)));
        assertEquals(text(binary), 200, binary.statusCode());
        int length = Integer.parseInt(binary.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode head = JSON.readTree(new String(binary.body(), 0, length, StandardCharsets.UTF_8));
        assertEquals(40, head.get("outputs").get(0).get("parameters").get("binary_data_size").asInt());
        assertEquals(length + 40, binary.body().length);
        float[] fromBinary = new float[10];
        ByteBuffer.wrap(binary.body(), length, 40).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(fromBinary);
        assertArrayEquals("binary output, bit for bit as JSON", got, fromBinary, 0f);

        // every datatype, as JSON and as binary, through a graph of Identity nodes (the onnx family)
        String all = "{\"inputs\": ["
                + "{\"name\": \"in_fp32\", \"datatype\": \"FP32\", \"shape\": [2, 3], \"data\": [[1.5, -2, 3], [4, 5, 6]]},"
                + "{\"name\": \"in_fp16\", \"datatype\": \"FP16\", \"shape\": [2, 3], \"data\": [0.5, -2, 65504, 0.25, 1, 3]},"
                + "{\"name\": \"in_int64\", \"datatype\": \"INT64\", \"shape\": [2, 3], \"data\": [-9223372036854775808, -1, 0, 1, 2, 9223372036854775807]},"
                + "{\"name\": \"in_int32\", \"datatype\": \"INT32\", \"shape\": [2, 3], \"data\": [-2147483648, 0, 1, 2, 3, 2147483647]},"
                + "{\"name\": \"in_uint8\", \"datatype\": \"UINT8\", \"shape\": [2, 3], \"data\": [0, 1, 2, 253, 254, 255]},"
                + "{\"name\": \"in_bool\", \"datatype\": \"BOOL\", \"shape\": [2, 3], \"data\": [true, false, true, false, false, true]},"
                + "{\"name\": \"in_bytes\", \"datatype\": \"BYTES\", \"shape\": [2, 3], \"data\": [\"a\", \"\", \"ünï\", \"d\", \"e\", {\"b64\": \"Zg==\"}]}]}";
        HttpResponse<byte[]> typed = post("/v2/models/identities/infer", lite, all.getBytes(StandardCharsets.UTF_8),
                Map.of());
        assertEquals(text(typed), 200, typed.statusCode());
        JsonNode outs = valid("inference_response", text(typed)).get("outputs");
        JsonNode ins = JSON.readTree(all).get("inputs");
        for (int i = 0; i < 7; i++) {
            JsonNode o = outs.get(i);
            String type = o.get("datatype").asText();
            JsonNode flat = JSON.valueToTree(flatten(ins.get(i).get("data")));
            if (type.equals("BYTES")) {
                assertEquals("[\"a\",\"\",\"ünï\",\"d\",\"e\",\"f\"]", o.get("data").toString());
            } else {
                assertEquals(type, flat.size(), o.get("data").size());
                for (int k = 0; k < flat.size(); k++) {
                    JsonNode a = flat.get(k);
                    JsonNode b = o.get("data").get(k);
                    boolean same = a.isBoolean() ? a.asBoolean() == b.asBoolean()
                            : new java.math.BigDecimal(a.asText()).compareTo(new java.math.BigDecimal(b.asText())) == 0;
                    assertTrue(type + ": sent " + flat + ", got " + o.get("data"), same);
                }
            }
            assertEquals(type, "[2,3]", o.get("shape").toString());
        }
        // the same as binary: each output's bytes equal the input's
        List<byte[]> parts = new ArrayList<>();
        parts.add(floats(1.5f, -2, 3, 4, 5, 6));
        ByteBuffer bytesElements = ByteBuffer.allocate(6 * 5).order(ByteOrder.LITTLE_ENDIAN);
        for (String e : List.of("a", "b", "c", "d", "e", "f")) {
            bytesElements.putInt(1).put(e.getBytes(StandardCharsets.UTF_8));
        }
        parts.add(bytesElements.array());
        String binHeader = "{\"inputs\": [{\"name\": \"in_fp32\", \"datatype\": \"FP32\", \"shape\": [2, 3],"
                + " \"parameters\": {\"binary_data_size\": 24}}, {\"name\": \"in_bytes\", \"datatype\": \"BYTES\","
                + " \"shape\": [2, 3], \"parameters\": {\"binary_data_size\": 30}}]}";
        ObjectNode rest = (ObjectNode) JSON.readTree(binHeader);
        for (int i = 1; i < 6; i++) {
            ((ArrayNode) rest.get("inputs")).add(ins.get(i));
        }
        rest.putArray("outputs").addObject().put("name", "out_bytes").putObject("parameters").put("binary_data", true);
        rest.withArray("outputs").addObject().put("name", "out_fp32").putObject("parameters")
                .put("binary_data", true);
        byte[] h = JSON.writeValueAsBytes(rest);
        HttpResponse<byte[]> bin = post("/v2/models/identities/infer", lite, concat(h, concat(parts.get(0),
                parts.get(1))), Map.of("Inference-Header-Content-Length", String.valueOf(h.length)));
        assertEquals(text(bin), 200, bin.statusCode());
        int hl = Integer.parseInt(bin.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode bh = JSON.readTree(new String(bin.body(), 0, hl, StandardCharsets.UTF_8));
        assertEquals("outputs in the graph's order", "out_fp32", bh.get("outputs").get(0).get("name").asText());
        byte[] tail = java.util.Arrays.copyOfRange(bin.body(), hl, bin.body().length);
        assertArrayEquals(concat(parts.get(0), parts.get(1)), tail);
    }

    private static List<Object> flatten(JsonNode n) {
        List<Object> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(c -> out.addAll(flatten(c)));
        } else {
            out.add(n);
        }
        return out;
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    @Test
    public void anImageAsBytesRunsTheModelsOwnPipeline() throws Exception {
        Path dog = models.getParent().resolve("images/dog.jpg");
        Assume.assumeTrue("skipped: no test photo at " + dog, Files.isRegularFile(dog));
        byte[] jpeg = Files.readAllBytes(dog);
        byte[] header = ("{\"inputs\": [{\"name\": \"image\", \"datatype\": \"BYTES\", \"shape\": [1], \"parameters\":"
                + " {\"binary_data_size\": " + (jpeg.length + 4) + "}}]}").getBytes(StandardCharsets.UTF_8);
        ByteBuffer element = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(jpeg.length);
        HttpResponse<byte[]> r = post("/v2/models/detector/infer", admin, concat(header, concat(element.array(), jpeg)),
                Map.of("Inference-Header-Content-Length", String.valueOf(header.length)));
        assertEquals(text(r), 200, r.statusCode());
        JsonNode answer = valid("inference_response", text(r));
        assertEquals("detect", answer.get("parameters").get("task").asText());
        List<String> names = new ArrayList<>();
        answer.get("outputs").forEach(o -> names.add(o.get("name").asText()));
        assertEquals(List.of("boxes", "scores", "labels", "class_ids", "image_index"), names);
        JsonNode labels = answer.get("outputs").get(2).get("data");
        // the hub's own detect route, same model, same pipeline
        HttpResponse<byte[]> own = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/detect?model=yolo-local"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(jpeg)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(text(own), 200, own.statusCode());
        JsonNode found = JSON.readTree(own.body()).get("results").get(0).get("value");
        assertEquals(found.size(), labels.size());
        for (int i = 0; i < found.size(); i++) {
            assertEquals(found.get(i).get("label").asText(), labels.get(i).asText());
            assertEquals(found.get(i).get("score").asDouble(), answer.get("outputs").get(1).get("data").get(i)
                    .asDouble(), 1e-4);
        }
        assertTrue(labels.toString(), labels.toString().contains("dog"));
        // JSON with base64 and a chosen output
        String b64 = java.util.Base64.getEncoder().encodeToString(jpeg);
        HttpResponse<byte[]> j = post("/v2/models/yolo-local/infer", admin, ("{\"inputs\": [{\"name\": \"image\","
                + " \"datatype\": \"BYTES\", \"shape\": [1], \"data\": [{\"b64\": \"" + b64 + "\"}]}], \"outputs\":"
                + " [{\"name\": \"labels\"}]}").getBytes(StandardCharsets.UTF_8), Map.of());
        assertEquals(text(j), 200, j.statusCode());
        assertEquals(labels, valid("inference_response", text(j)).get("outputs").get(0).get("data"));
    }

    @Test
    public void theRepositoryIsAnAdministratorsAndStatisticsCount() throws Exception {
        HttpResponse<byte[]> denied = post("/v2/repository/index", lite, new byte[0], Map.of());
        assertEquals(403, denied.statusCode());
        assertTrue(text(denied), text(denied).contains("needs an admin key"));
        assertEquals(200, post("/v2/repository/models/identities/load", admin, new byte[0], Map.of()).statusCode());
        JsonNode index = JSON.readTree(post("/v2/repository/index", admin, new byte[0], Map.of()).body());
        JsonNode entry = null;
        for (JsonNode e : index) {
            if (e.get("name").asText().equals("identities")) {
                entry = e;
            }
        }
        assertEquals("READY", entry.get("state").asText());
        assertEquals(200, get("/v2/models/identities/ready", lite).statusCode());
        assertEquals(200, post("/v2/repository/models/identities/unload", admin, new byte[0], Map.of()).statusCode());
        HttpResponse<byte[]> notReady = get("/v2/models/identities/ready", lite);
        assertEquals(400, notReady.statusCode());
        assertEquals("{\"name\":\"identities\",\"ready\":false}", text(notReady));

        post("/v2/models/mnist/infer", lite, ("{\"inputs\": [{\"name\": \"Input3\", \"shape\": [1, 1, 28, 28],"
                + " \"datatype\": \"FP32\", \"data\": " + zeros(784) + "}]}").getBytes(StandardCharsets.UTF_8), Map.of());
        JsonNode stats = JSON.readTree(get("/v2/models/mnist/stats", lite).body()).get("model_stats").get(0);
        assertEquals("mnist", stats.get("name").asText());
        assertTrue(stats.toString(), stats.get("inference_count").asLong() >= 1);
        assertTrue(stats.toString(), stats.get("inference_stats").get("success").get("ns").asLong() > 0);
    }

    @Test
    public void prometheusScrapesTheHubAndPromtoolAcceptsTheExposition() throws Exception {
        post("/v2/models/mnist/infer", lite, ("{\"inputs\": [{\"name\": \"Input3\", \"shape\": [1, 1, 28, 28],"
                + " \"datatype\": \"FP32\", \"data\": " + zeros(784) + "}]}").getBytes(StandardCharsets.UTF_8), Map.of());
        HttpResponse<byte[]> refused = get("/metrics", null);
        assertEquals(text(refused), 401, refused.statusCode());
        assertEquals(401, get("/metrics", "wrong-token").statusCode());
        HttpResponse<byte[]> metrics = get("/metrics", METRICS_TOKEN);
        assertEquals(200, metrics.statusCode());
        String text = text(metrics);
        assertTrue(text, text.matches("(?s).*nv_inference_request_success_total\\{model=\"mnist\",version=\"8\"\\} [1-9].*"));
        assertTrue(text, text.contains("hub_http_requests_total{method=\"POST\",route=\"/v2/models/{name}/infer\",status=\"200\"}"));
        assertTrue(text, text.contains("hub_cache_limit_bytes "));
        assertTrue(text, text.contains("jvm_memory_used_bytes"));
        assertTrue(text, text.contains("process_cpu_seconds_total"));

        Path promtool = Path.of("/usr/bin/promtool");
        Path prometheus = Path.of("/usr/bin/prometheus");
        Assume.assumeTrue("skipped: Debian's prometheus package (promtool, prometheus) is not installed",
                Files.isExecutable(promtool) && Files.isExecutable(prometheus));
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        check.getOutputStream().write(metrics.body());
        check.getOutputStream().close();
        String lint = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(30, TimeUnit.SECONDS));
        assertEquals("promtool check metrics: " + lint, 0, check.exitValue());

        Path dir = Files.createTempDirectory(home, "prometheus");
        Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1s\nscrape_configs:\n"
                + "  - job_name: hub\n    authorization:\n      credentials: " + METRICS_TOKEN + "\n"
                + "    static_configs:\n      - targets: ['" + base.substring(7) + "']\n");
        int port = HubOptions.freePort();
        Process server = new ProcessBuilder(prometheus.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            String api = "http://127.0.0.1:" + port + "/api/v1/";
            String health = "";
            long deadline = System.currentTimeMillis() + 60_000;
            double count = -1;
            while (System.currentTimeMillis() < deadline && count < 1) {
                Thread.sleep(500);
                try {
                    JsonNode targets = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(api + "targets"))
                            .build(), HttpResponse.BodyHandlers.ofString()).body());
                    JsonNode active = targets.get("data").get("activeTargets");
                    health = active.isEmpty() ? "" : active.get(0).get("health").asText();
                    if (health.equals("up")) {
                        JsonNode q = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(api + "query?query="
                                + java.net.URLEncoder.encode("nv_inference_count_total{model=\"mnist\"}",
                                        StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString())
                                .body());
                        JsonNode result = q.get("data").get("result");
                        if (!result.isEmpty()) {
                            count = result.get(0).get("value").get(1).asDouble();
                        }
                    }
                } catch (java.io.IOException e) {
                    // not listening yet
                }
            }
            assertEquals("the hub's target in Prometheus: " + Files.readString(dir.resolve("prometheus.log")), "up",
                    health);
            assertTrue("a query returns the inference count: " + count, count >= 1);
        } finally {
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
