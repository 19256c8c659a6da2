package hub.oip.internal;

import hub.api.ModelDescriptor;
import hub.api.ModelQuery;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import hub.api.access.AccessPolicy;
import hub.api.access.ApiKeys;
import hub.api.access.Caller;
import hub.api.access.Operation;
import hub.api.inference.Inference;
import hub.api.inference.InferenceResult;
import hub.api.inference.ModelSignature;
import hub.api.inference.ModelStatistics;
import hub.api.inference.Task;
import hub.api.inference.TaskOptions;
import hub.api.inference.TensorResult;
import hub.api.task.ImageInput;
import hub.api.task.Tensor;
import hub.api.task.TensorSpec;
import hub.api.task.TensorType;
import hub.core.health.HealthReport;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The Open Inference Protocol v2 over HTTP/REST, as KServe, Triton and OpenVINO Model Server speak it. Model names are
 * catalog names (or aliases), versions catalog versions. Tensors run the model's raw graph through the hub's request
 * path ({@link Inference#infer}); BYTES inputs holding images, for a model whose graph takes no strings, run the
 * model's own pipeline ({@link Inference#run}) and come back as typed tensors ({@link ImageOutputs}). Health and the
 * server's metadata are open (probes); every model route needs an API key, as the rest of the API; the model
 * repository extension needs an administrator's key. Errors are {@code {"error": "..."}}.
 */
@Component(service = Servlet.class, configurationPid = "hub.oip")
@Designate(ocd = OipConfig.class)
@HttpWhiteboardServletPattern("/v2/*")
public class OipServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(OipServlet.class.getName());
    /** The extensions this server implements, as {@code GET /v2} lists them. */
    static final List<String> EXTENSIONS = List.of("binary_tensor_data", "model_repository", "statistics");
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    /** An error answer. */
    static final class OipError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        OipError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final transient Inference inference;
    private final transient ModelRegistry registry;
    private final transient ApiKeys keys;
    private final transient AccessPolicy policy;
    private final transient BundleContext context;
    private final transient OipConfig config;
    private final transient Semaphore admitted;
    private final transient Semaphore running;
    private final String version;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile HealthCheckExecutor health;

    /**
     * @param inference the request path
     * @param registry the catalog (versions and the repository index)
     * @param keys API keys
     * @param policy what a key may see
     * @param context where health checks are looked up
     * @param config workers, queue, body limit
     */
    @Activate
    public OipServlet(@Reference Inference inference, @Reference ModelRegistry registry, @Reference ApiKeys keys,
            @Reference AccessPolicy policy, BundleContext context, OipConfig config) {
        this.inference = inference;
        this.registry = registry;
        this.keys = keys;
        this.policy = policy;
        this.context = context;
        this.config = config;
        int workers = config.workers() > 0 ? config.workers() : Runtime.getRuntime().availableProcessors();
        this.running = new Semaphore(workers, true);
        this.admitted = new Semaphore(workers + Math.max(0, config.queue()));
        this.version = context.getBundle().getVersion().toString();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        try {
            route(req, resp, req.getMethod(), segments(path));
        } catch (OipError e) {
            error(resp, e.status, e.getMessage());
        } catch (RuntimeException e) {
            int status = status(e);
            if (status >= 500) {
                LOG.log(System.Logger.Level.WARNING, "OIP " + req.getMethod() + " " + path + ": " + e, e);
            }
            error(resp, status, message(e));
        }
    }

    private void route(HttpServletRequest req, HttpServletResponse resp, String method, List<String> p)
            throws IOException {
        // p starts with "v2"
        List<String> r = p.subList(1, p.size());
        boolean get = method.equals("GET") || method.equals("HEAD");
        boolean post = method.equals("POST");
        if (r.isEmpty() && get) {
            json(resp, 200, OipCodec.object("name", "vision-model-hub", "version", version, "extensions", EXTENSIONS));
            return;
        }
        if (r.equals(List.of("health", "live")) && get) {
            json(resp, 200, Map.of("live", true));
            return;
        }
        if (r.equals(List.of("health", "ready")) && get) {
            boolean ready = ready();
            json(resp, ready ? 200 : 503, Map.of("ready", ready));
            return;
        }
        Caller caller = Caller.of(authenticate(req));
        if (r.size() >= 1 && r.get(0).equals("repository")) {
            repository(req, resp, caller, method, r.subList(1, r.size()));
            return;
        }
        if (r.equals(List.of("models", "stats")) && get) {
            json(resp, 200, stats(caller, null, null));
            return;
        }
        if (r.size() < 2 || !r.get(0).equals("models")) {
            throw new OipError(404, "no route " + method + " /" + String.join("/", p));
        }
        String name = r.get(1);
        List<String> rest = r.subList(2, r.size());
        String version = null;
        if (rest.size() >= 2 && rest.get(0).equals("versions")) {
            version = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        String model = version == null ? name : name + "@" + version;
        if (rest.isEmpty() && get) {
            json(resp, 200, metadata(caller, name, model));
        } else if (rest.equals(List.of("ready")) && get) {
            ModelSignature s = inference.describe(caller, model, false);
            json(resp, s.loaded() ? 200 : 400, OipCodec.object("name", name, "ready", s.loaded()));
        } else if (rest.equals(List.of("stats")) && get) {
            json(resp, 200, stats(caller, name, version));
        } else if (rest.equals(List.of("infer")) && post) {
            infer(req, resp, caller, name, model);
        } else {
            throw new OipError(404, "no route " + method + " /" + String.join("/", p));
        }
    }

    // ---- metadata, health, statistics ----

    private boolean ready() {
        HealthCheckExecutor executor = health;
        return executor != null && HealthReport.run(context, executor, List.of()).healthy();
    }

    private Map<String, Object> metadata(Caller caller, String name, String model) {
        ModelSignature s = inference.describe(caller, model, true);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("model", s.ref().toString());
        properties.put("family", s.family().id());
        properties.put("device", s.device().name().toLowerCase(Locale.ROOT));
        if (!s.tasks().isEmpty()) {
            properties.put("tasks", String.join(",", s.tasks()));
            properties.put("image_outputs", String.join(",", ImageOutputs.names(s.tasks().get(0))));
        }
        return OipCodec.object("name", name, "versions", registry.versions(s.ref().name()), "platform", "onnx_onnxv1",
                "inputs", specs(s.inputs()), "outputs", specs(s.outputs()), "properties", properties);
    }

    private static List<Map<String, Object>> specs(List<TensorSpec> specs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TensorSpec t : specs) {
            out.add(OipCodec.object("name", t.name(), "datatype", t.type().name(), "shape", t.shape()));
        }
        return out;
    }

    /** Triton's statistics extension: per model and version, counts and summed nanoseconds. */
    private Map<String, Object> stats(Caller caller, String name, String version) {
        List<Map<String, Object>> models = new ArrayList<>();
        for (ModelStatistics s : inference.statistics(caller)) {
            if (name != null && !s.ref().name().equals(name) || version != null && !s.ref().version().equals(version)) {
                continue;
            }
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("success", Map.of("count", s.success(), "ns", s.requestNanos()));
            stats.put("fail", Map.of("count", s.failure(), "ns", 0));
            stats.put("queue", Map.of("count", s.success(), "ns", s.queueNanos()));
            stats.put("compute_infer", Map.of("count", s.success(), "ns", s.computeNanos()));
            models.add(OipCodec.object("name", s.ref().name(), "version", s.ref().version(), "last_inference",
                    s.lastInferenceMillis(), "inference_count", s.inferences(), "execution_count", s.executions(),
                    "inference_stats", stats));
        }
        return Map.of("model_stats", models);
    }

    // ---- the model repository extension ----

    private void repository(HttpServletRequest req, HttpServletResponse resp, Caller caller, String method,
            List<String> r) throws IOException {
        if (!method.equals("POST")) {
            throw new OipError(405, "the repository routes take POST");
        }
        try {
            policy.check(caller, Operation.UNLOAD, null); // the repository is an administrator's
        } catch (hub.api.access.AccessDeniedException e) {
            throw new OipError(403, "the model repository extension needs an admin key; " + caller.id()
                    + " is not one");
        }
        if (r.equals(List.of("index"))) {
            body(req, 1 << 20); // {"ready": bool} may come; the index lists every model either way
            Set<ModelRef> loaded = new LinkedHashSet<>();
            inference.loaded(caller).forEach(i -> loaded.add(i.ref()));
            List<Map<String, Object>> out = new ArrayList<>();
            for (ModelDescriptor d : registry.list(ModelQuery.ALL)) {
                if (policy.maySee(caller, d)) {
                    boolean up = loaded.contains(d.ref());
                    out.add(OipCodec.object("name", d.ref().name(), "version", d.ref().version(), "state",
                            up ? "READY" : "UNAVAILABLE", "reason", up ? "" : "not loaded"));
                }
            }
            json(resp, 200, out);
            return;
        }
        if (r.size() == 3 && r.get(0).equals("models") && (r.get(2).equals("load") || r.get(2).equals("unload"))) {
            body(req, 1 << 20);
            ModelRef ref = ModelRef.parse(r.get(1));
            if (r.get(2).equals("load")) {
                gated(() -> inference.load(caller, ref, hub.api.Device.AUTO));
            } else {
                inference.unload(caller, ref);
            }
            json(resp, 200, Map.of());
            return;
        }
        throw new OipError(404, "no repository route POST /v2/repository/" + String.join("/", r));
    }

    // ---- inference ----

    private void infer(HttpServletRequest req, HttpServletResponse resp, Caller caller, String name, String model)
            throws IOException {
        java.nio.ByteBuffer body = direct(req, (long) config.maxRequestMb() << 20);
        String h = req.getHeader(HEADER_LENGTH);
        int headerLength = -1;
        if (h != null) {
            try {
                headerLength = Integer.parseInt(h.trim());
            } catch (NumberFormatException e) {
                throw new OipError(400, HEADER_LENGTH + " is not a number: " + h);
            }
        }
        OipCodec.Request request = OipCodec.parse(body, headerLength);
        Map<String, Object> header = new LinkedHashMap<>();
        List<Tensor> outputs = gated(() -> {
            if (request.inputs().stream().allMatch(t -> t.type() == TensorType.BYTES)) {
                ModelSignature s = inference.describe(caller, model, true);
                if (!s.tasks().isEmpty() && s.inputs().stream().noneMatch(i -> i.type() == TensorType.BYTES)) {
                    return images(caller, model, s, request, header);
                }
            }
            Set<String> wanted = new LinkedHashSet<>();
            request.outputs().forEach(o -> wanted.add(o.name()));
            TensorResult result = inference.infer(caller, model, request.inputs(), wanted);
            header.put("model_name", name);
            header.put("model_version", result.ref().version());
            return result.outputs();
        });
        if (request.id() != null) {
            header.put("id", request.id());
        }
        List<Boolean> binary = new ArrayList<>();
        for (Tensor t : outputs) {
            binary.add(request.outputs().stream().filter(o -> o.name().equals(t.name())).findFirst()
                    .map(OipCodec.Wanted::binary).orElse(request.binaryOutput()));
        }
        OipCodec.Response out = OipCodec.response(header, outputs, binary);
        resp.setStatus(200);
        resp.setHeader("Cache-Control", "no-store");
        if (!out.tails().isEmpty()) {
            resp.setContentType("application/octet-stream");
            resp.setHeader(HEADER_LENGTH, Integer.toString(out.json().length));
        } else {
            resp.setContentType("application/json");
        }
        resp.setContentLengthLong(out.length());
        out.writeTo(resp.getOutputStream());
    }

    /** Images as BYTES inputs: every element of every input is one encoded image, run by the model's own task. */
    private List<Tensor> images(Caller caller, String model, ModelSignature s, OipCodec.Request request,
            Map<String, Object> header) {
        String taskName = request.parameter("task");
        if (taskName != null && !s.tasks().contains(taskName)) {
            throw new OipError(400, s.ref() + " runs " + s.tasks() + ", not '" + taskName + "'");
        }
        Task<?> task = Task.of(taskName != null ? taskName : s.tasks().get(0));
        List<ImageInput> images = new ArrayList<>();
        for (Tensor t : request.inputs()) {
            List<byte[]> elements = t.elements();
            for (int i = 0; i < elements.size(); i++) {
                images.add(new ImageInput(elements.size() == 1 ? t.name() : t.name() + "[" + i + "]", elements.get(i)));
            }
        }
        float threshold = number(request.parameter("threshold"), Float.NaN, "threshold");
        int top = (int) number(request.parameter("top"), 5, "top");
        TaskOptions options = TaskOptions.DEFAULT.withThreshold(threshold).withTop(top);
        InferenceResult<?> result = inference.run(caller, task, model, images, options);
        header.put("model_name", model.contains("@") ? model.substring(0, model.indexOf('@')) : model);
        header.put("model_version", result.model().version());
        header.put("parameters", Map.of("task", task.id(), "images", images.size()));
        List<Tensor> all = ImageOutputs.of(task.id(), result.results());
        if (request.outputs().isEmpty()) {
            return all;
        }
        List<Tensor> chosen = new ArrayList<>();
        for (OipCodec.Wanted w : request.outputs()) {
            chosen.add(all.stream().filter(t -> t.name().equals(w.name())).findFirst().orElseThrow(
                    () -> new OipError(400, "unknown output '" + w.name() + "' of " + task + " (outputs: "
                            + ImageOutputs.names(task.id()) + ")")));
        }
        return chosen;
    }

    private static float number(String text, float fallback, String name) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Float.parseFloat(text.trim());
        } catch (NumberFormatException e) {
            throw new OipError(400, "parameter '" + name + "' is not a number: " + text);
        }
    }

    /** Runs inference within the bounds: past workers + queue the answer is 429 at once. */
    private <T> T gated(java.util.function.Supplier<T> work) {
        if (!admitted.tryAcquire()) {
            throw new OipError(429, "all workers are busy and the queue is full; retry shortly");
        }
        try {
            if (!running.tryAcquire(Math.max(1, config.queueWaitSeconds()), TimeUnit.SECONDS)) {
                throw new OipError(503, "no worker came free within " + config.queueWaitSeconds() + " s");
            }
            try {
                return work.get();
            } finally {
                running.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OipError(503, "the hub is stopping");
        } finally {
            admitted.release();
        }
    }

    // ---- access, bodies, errors ----

    private hub.api.access.ApiKey authenticate(HttpServletRequest req) {
        String header = req.getHeader("Authorization");
        String secret = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
                : req.getHeader("X-API-Key");
        if (secret == null || secret.isBlank()) {
            throw new OipError(401, "missing API key (Authorization: Bearer KEY, or X-API-Key: KEY; hub key create)");
        }
        return keys.authenticate(secret).orElseThrow(() -> new OipError(401, "invalid or revoked API key"));
    }

    /**
     * An inference request's body in a direct buffer of its declared length (binary tensors then reach ONNX Runtime
     * with no further copy), or read to its end when no length is declared.
     */
    private static java.nio.ByteBuffer direct(HttpServletRequest req, long limit) throws IOException {
        long declared = req.getContentLengthLong();
        if (declared < 0) {
            return java.nio.ByteBuffer.wrap(body(req, limit));
        }
        if (declared > limit) {
            throw new OipError(413, "request body of " + declared + " bytes; at most " + limit
                    + " (hub.oip maxRequestMb)");
        }
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocateDirect((int) declared);
        InputStream in = req.getInputStream();
        byte[] chunk = new byte[256 << 10];
        int n;
        while (out.hasRemaining() && (n = in.read(chunk, 0, Math.min(chunk.length, out.remaining()))) != -1) {
            out.put(chunk, 0, n);
        }
        if (out.hasRemaining()) {
            throw new OipError(400, "the body ended after " + out.position() + " of " + declared + " bytes");
        }
        return out.flip();
    }

    private static byte[] body(HttpServletRequest req, long limit) throws IOException {
        if (req.getContentLengthLong() > limit) {
            throw new OipError(413, "request body of " + req.getContentLengthLong() + " bytes; at most " + limit
                    + " (hub.oip maxRequestMb)");
        }
        InputStream in = req.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(0, Math.min(limit,
                req.getContentLengthLong())));
        byte[] buffer = new byte[64 << 10];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > limit) {
                throw new OipError(413, "request body larger than " + limit + " bytes (hub.oip maxRequestMb)");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** The status the protocol's clients expect for what the hub threw (400 where the spec says "typically"). */
    static int status(RuntimeException e) {
        if (e instanceof hub.api.access.AccessDeniedException) {
            return 403;
        }
        if (e instanceof hub.api.ModelNotFoundException) {
            return 404;
        }
        if (e instanceof hub.api.ModelNotCachedException) {
            return 409;
        }
        if (e instanceof hub.api.inference.ImageTooLargeException) {
            return 413;
        }
        if (e instanceof hub.api.inference.CapacityException || e instanceof hub.api.LoaderUnavailableException
                || e instanceof hub.api.state.StateUnavailableException) {
            return 503;
        }
        if (e instanceof IllegalArgumentException || e instanceof UnsupportedOperationException
                || e instanceof hub.api.inference.UnreadableImagesException) {
            return 400;
        }
        if (e instanceof hub.api.HubException h) {
            return switch (h.exitCode()) {
                case 3, 8 -> 404;
                case 4, 10 -> 400;
                case 5, 9 -> 502;
                case 7 -> 409;
                default -> 500;
            };
        }
        return 500;
    }

    private static String message(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void json(HttpServletResponse resp, int status, Object body) throws IOException {
        byte[] bytes = OipCodec.json(body);
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    private static void error(HttpServletResponse resp, int status, String message) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        resp.reset();
        if (status == 429) {
            resp.setHeader("Retry-After", "1");
        }
        if (status == 401) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"vision-hub\"");
        }
        json(resp, status, Map.of("error", message));
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(java.net.URLDecoder.decode(s, StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
