package hub.http.internal;

import hub.api.AccessTier;
import hub.api.ArtifactStore;
import hub.api.Device;
import hub.api.DeviceService;
import hub.api.Family;
import hub.api.ModelDescriptor;
import hub.api.ModelHub;
import hub.api.ModelInfo;
import hub.api.ModelLease;
import hub.api.ModelQuery;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import hub.api.access.ApiKey;
import hub.api.access.ApiKeys;
import hub.api.embedding.EmbeddingRegistry;
import hub.api.task.Classifier;
import hub.api.task.DetectionOptions;
import hub.api.task.Detector;
import hub.api.task.FaceDetector;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import hub.api.task.TextReader;
import hub.core.annotate.Annotator;
import hub.core.health.HealthReport;
import hub.core.json.Json;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletMultipart;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The HTTP API: catalog, downloads (jobs with progress as Server-Sent Events), cache and device, load and unload,
 * the active model per alias and atomic switches, inference (detect, classify, ocr, faces, embed) on a bounded
 * worker pool, health, and a stream of the hub's events. Every route but the OpenAPI description and health needs an
 * API key; management needs the admin role; a model above the key's tier is refused. Errors are JSON:
 * {@code {"error": {"status", "code", "message", "details"}}}.
 */
@Component(service = {Servlet.class, EventHandler.class}, configurationPid = "hub.http",
        property = {"event.topics=hub/*"})
@Designate(ocd = HttpConfig.class)
@HttpWhiteboardServletPattern({"/api/*", "/models/*"})
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletMultipart(enabled = true, maxFileSize = 256L << 20, maxRequestSize = 256L << 20)
public class ApiServlet extends HttpServlet implements EventHandler {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(ApiServlet.class.getName());
    private static final Object HANDLED = new Object();
    private static final List<String> TASKS = List.of("detect", "classify", "ocr", "faces", "embed");

    /** A non-200 answer. */
    private record Answer(int status, Object body) {
    }

    private final transient ModelRegistry registry;
    private final transient ArtifactStore store;
    private final transient ModelHub hub;
    private final transient DeviceService devices;
    private final transient ApiKeys keys;
    private final transient EmbeddingRegistry embeddings;
    private final transient BundleContext context;
    private final transient HttpConfig config;
    private final transient ThreadPoolExecutor pool;
    private final transient ScheduledExecutorService heartbeat;
    private final transient List<SseStream> streams = new CopyOnWriteArrayList<>();
    private final transient Jobs jobs = new Jobs(this::broadcast);
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HealthCheckExecutor health;

    /**
     * @param registry the catalog
     * @param store the artifact store
     * @param hub the runtime
     * @param devices device information
     * @param keys API keys
     * @param embeddings embedding services
     * @param context where health checks are looked up
     * @param config workers, queue and body limits
     */
    @Activate
    public ApiServlet(@Reference ModelRegistry registry, @Reference ArtifactStore store, @Reference ModelHub hub,
            @Reference DeviceService devices, @Reference ApiKeys keys, @Reference EmbeddingRegistry embeddings,
            BundleContext context, HttpConfig config) {
        this.registry = registry;
        this.store = store;
        this.hub = hub;
        this.devices = devices;
        this.keys = keys;
        this.embeddings = embeddings;
        this.context = context;
        this.config = config;
        int workers = config.workers() > 0 ? config.workers() : Runtime.getRuntime().availableProcessors();
        this.pool = new ThreadPoolExecutor(workers, workers, 30, TimeUnit.SECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(Math.max(1, config.queue())), r -> {
                    Thread t = new Thread(r, "hub-http-worker");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hub-http-sse");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(() -> streams.forEach(s -> {
            s.comment("keep-alive");
            if (!s.open()) {
                streams.remove(s);
            }
        }), 15, 15, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        pool.shutdownNow();
        heartbeat.shutdownNow();
        streams.forEach(SseStream::close);
    }

    // ---- dispatch ----

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        String method = req.getMethod();
        try {
            Object body = route(req, resp, method, path);
            if (body == HANDLED) {
                return;
            }
            if (body instanceof Answer a) {
                json(resp, a.status(), a.body());
            } else {
                json(resp, 200, body);
            }
        } catch (RuntimeException e) {
            error(resp, ApiError.of(e));
        } catch (ServletException e) {
            error(resp, new ApiError(400, "bad_request", "unreadable request: " + e.getMessage()));
        }
    }

    private Object route(HttpServletRequest req, HttpServletResponse resp, String method, String path)
            throws IOException, ServletException {
        List<String> p = segments(path);
        if (p.equals(List.of("api", "openapi.json")) && method.equals("GET")) {
            try (InputStream in = getClass().getResourceAsStream("/openapi.json")) {
                resp.setContentType("application/json");
                resp.setCharacterEncoding("UTF-8");
                in.transferTo(resp.getOutputStream());
            }
            return HANDLED;
        }
        if (p.equals(List.of("api", "v1", "health")) && method.equals("GET")) {
            return health();
        }
        ApiKey key = authenticate(req);
        // the seeds' routes
        if (p.equals(List.of("api", "models")) && method.equals("GET")) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("models", catalog(key, ModelQuery.ALL));
            doc.put("active", hub.aliases());
            return doc;
        }
        if (p.equals(List.of("api", "models", "switch")) && method.equals("POST")) {
            return switchModels(req, key);
        }
        if (p.equals(List.of("models", "active")) && method.equals("GET")) {
            return hub.aliases();
        }
        if (p.equals(List.of("models", "status")) && method.equals("GET") || p.equals(List.of("api", "v1", "status"))
                && method.equals("GET")) {
            return hub.loaded();
        }
        if (p.size() < 3 || !p.get(0).equals("api") || !p.get(1).equals("v1")) {
            throw ApiError.notFound("no route " + method + " " + path);
        }
        List<String> r = p.subList(2, p.size());
        String head = r.get(0);
        if (head.equals("models")) {
            return models(req, key, method, r);
        }
        if (head.equals("jobs") && r.size() >= 2) {
            Jobs.Job job = jobs.get(r.get(1)).orElseThrow(() -> ApiError.notFound("no job " + r.get(1)));
            if (r.size() == 2 && method.equals("GET")) {
                return job.view();
            }
            if (r.size() == 3 && r.get(2).equals("events") && method.equals("GET")) {
                jobs.follow(job, new SseStream(req.startAsync()));
                return HANDLED;
            }
        }
        if (r.size() == 1 && method.equals("GET")) {
            switch (head) {
                case "cache":
                    return store.cacheInfo();
                case "device":
                    return devices.info();
                case "embedders":
                    return embeddings.services();
                case "active":
                    return hub.aliases();
                case "events":
                    SseStream s = new SseStream(req.startAsync());
                    streams.add(s);
                    return HANDLED;
                default:
                    break;
            }
        }
        if (r.size() == 1 && method.equals("POST") && TASKS.contains(head)) {
            return infer(req, resp, key, head);
        }
        throw ApiError.notFound("no route " + method + " " + path);
    }

    private Object models(HttpServletRequest req, ApiKey key, String method, List<String> r)
            throws IOException, ServletException {
        if (r.size() == 1) {
            if (method.equals("GET")) {
                return page(req, key);
            }
            if (method.equals("POST")) {
                requireAdmin(key, "registering models");
                return new Answer(201, register(req));
            }
        }
        ModelRef ref = ref(r.get(1), param(req, "version"));
        if (r.size() == 2) {
            if (method.equals("GET")) {
                ModelInfo info = hub.info(ref);
                requireTier(key, info.descriptor());
                return info;
            }
            if (method.equals("DELETE")) {
                requireAdmin(key, "deleting models");
                return Map.of("removed", store.remove(ref).stream().map(ModelRef::toString).toList());
            }
        }
        if (r.size() == 3 && method.equals("POST")) {
            ModelDescriptor d = registry.get(ref);
            requireTier(key, d);
            switch (r.get(2)) {
                case "download":
                    requireAdmin(key, "downloads");
                    Jobs.Job job = jobs.start(store, d.ref(), Boolean.parseBoolean(param(req, "force")));
                    return new Answer(202, job.view());
                case "validate":
                    return store.validate(d.ref());
                case "load":
                    Device device = device(param(req, "device"));
                    try (ModelLease lease = hub.load(d.ref(), device)) {
                        return hub.info(lease.descriptor().ref());
                    }
                case "unload":
                    requireAdmin(key, "unloading models");
                    return hub.unload(d.ref());
                default:
                    break;
            }
        }
        throw ApiError.notFound("no route " + method + " " + req.getRequestURI());
    }

    // ---- catalog ----

    private static AccessTier tierOf(ModelDescriptor d) {
        return d.tier() == null ? AccessTier.LITE : d.tier();
    }

    private List<Map<String, Object>> catalog(ApiKey key, ModelQuery query) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ModelDescriptor d : registry.list(query)) {
            if (!key.tier().includes(tierOf(d))) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ref", d.ref().toString());
            m.put("name", d.name());
            m.put("version", d.version());
            m.put("family", d.family().id());
            m.put("tier", tierOf(d).id());
            m.put("task", d.task());
            m.put("tags", d.tags());
            m.put("devices", d.devices());
            m.put("size", d.totalSize());
            m.put("status", store.status(d.ref()));
            out.add(m);
        }
        return out;
    }

    private Map<String, Object> page(HttpServletRequest req, ApiKey key) {
        String family = first(param(req, "family"), param(req, "type"));
        String tier = param(req, "tier");
        ModelQuery q = new ModelQuery(family == null ? null : Family.of(family), param(req, "tag"),
                tier == null ? null : AccessTier.parse(tier));
        List<Map<String, Object>> all = catalog(key, q);
        int size = Math.max(1, Math.min(500, integer(param(req, "size"), 50, "size")));
        int page = Math.max(1, integer(param(req, "page"), 1, "page"));
        int from = Math.min(all.size(), (page - 1) * size);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("items", all.subList(from, Math.min(all.size(), from + size)));
        doc.put("page", page);
        doc.put("size", size);
        doc.put("total", all.size());
        return doc;
    }

    private List<String> register(HttpServletRequest req) throws IOException {
        byte[] body = body(req, config.maxJsonKb() * 1024L);
        Path tmp = Files.createTempFile("hub-register", isJson(req) ? ".json" : ".yaml");
        try {
            Files.write(tmp, body);
            return registry.register(tmp).stream().map(d -> d.ref().toString()).toList();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    // ---- switch ----

    private Object switchModels(HttpServletRequest req, ApiKey key) throws IOException {
        requireAdmin(key, "switching models");
        Map<String, Object> body = Json.readObject(new String(body(req, config.maxJsonKb() * 1024L), StandardCharsets.UTF_8));
        Object aliases = body.containsKey("aliases") ? body.get("aliases") : body;
        if (!(aliases instanceof Map<?, ?> m) || m.isEmpty()) {
            throw ApiError.badRequest("a JSON object of alias to model expected, e.g. {\"detector\": \"yolov8s@1\"}");
        }
        Map<String, ModelRef> targets = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (e.getKey().equals("device") && aliases == body) {
                continue;
            }
            if (!(e.getValue() instanceof String s)) {
                throw ApiError.badRequest("alias '" + e.getKey() + "': a model reference string expected");
            }
            ModelRef ref = ModelRef.parse(s);
            registry.find(ref).ifPresent(d -> requireTier(key, d));
            targets.put(e.getKey().toString(), ref);
        }
        Object device = body.get("device");
        return hub.switchModels(targets, device(device == null ? null : device.toString()));
    }

    // ---- inference ----

    private Object infer(HttpServletRequest req, HttpServletResponse resp, ApiKey key, String task)
            throws IOException, ServletException {
        List<ImageInput> images = images(req);
        String model = param(req, "model");
        boolean png = Boolean.parseBoolean(param(req, "annotate"))
                || String.valueOf(req.getHeader("Accept")).startsWith("image/png");
        if (task.equals("embed")) {
            String service = param(req, "service");
            String m = model;
            if (m == null) {
                m = embeddings.service(service == null ? embeddings.services().stream().findFirst()
                        .map(s -> s.id()).orElse("") : service).map(s -> s.defaultModel()).orElse(null);
            }
            if (m != null && !m.isBlank()) {
                requireTier(key, registry.get(ModelRef.parse(m)));
            }
            String chosen = m;
            int batch = integer(param(req, "batch"), 0, "batch");
            var results = work(() -> embeddings.embed(service, chosen, images, batch));
            if (results.stream().allMatch(x -> x.error() != null)) {
                throw new ApiError(400, "bad_request", "no image could be embedded",
                        results.stream().map(x -> x.source() + ": " + x.error()).toList());
            }
            return Map.of("results", results);
        }
        String alias = switch (task) {
            case "detect" -> "detector";
            case "classify" -> "classifier";
            case "ocr" -> "ocr";
            default -> "face";
        };
        ModelRef ref = model != null ? ModelRef.parse(model) : hub.aliases().get(alias);
        if (ref == null && task.equals("faces")) {
            ref = ModelRef.parse("yunet");
        }
        if (ref == null) {
            throw ApiError.badRequest("no model given and the '" + alias + "' alias is not set (?model=NAME@VERSION)");
        }
        ModelDescriptor d = registry.get(ref);
        requireTier(key, d);
        boolean viaAlias = model == null && hub.aliases().containsKey(alias);
        float threshold = (float) number(param(req, "threshold"), Float.NaN, "threshold");
        int top = integer(param(req, "top"), 5, "top");
        Object result = work(() -> {
            try (ModelLease lease = viaAlias ? hub.lease(alias, Device.AUTO) : hub.load(d.ref(), Device.AUTO)) {
                List<? extends ImageResult<?>> results = switch (task) {
                    case "detect" -> lease.require(Detector.class).detect(images,
                            new DetectionOptions(threshold, Float.NaN, 0));
                    case "classify" -> lease.require(Classifier.class).classify(images, top);
                    case "ocr" -> lease.require(TextReader.class).read(images);
                    default -> lease.require(FaceDetector.class).detectFaces(images, threshold);
                };
                if (results.stream().allMatch(x -> x.error() != null)) {
                    throw new ApiError(400, "bad_request", results.size() == 1 ? results.get(0).source() + ": "
                            + results.get(0).error() : "no image could be read",
                            results.stream().map(x -> x.source() + ": " + x.error()).toList());
                }
                if (png) {
                    return annotated(task, images.get(0), results.get(0));
                }
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("model", lease.descriptor().ref());
                doc.put("results", results);
                return doc;
            }
        });
        if (result instanceof byte[] bytes) {
            resp.setContentType("image/png");
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
            return HANDLED;
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static byte[] annotated(String task, ImageInput image, ImageResult<?> r) throws IOException {
        if (r.error() != null) {
            throw ApiError.badRequest(r.source() + ": " + r.error());
        }
        List<hub.api.task.Detection> boxes = switch (task) {
            case "detect" -> (List<hub.api.task.Detection>) r.value();
            case "ocr" -> Annotator.lines((List<hub.api.task.TextLine>) r.value());
            case "faces" -> Annotator.faces((List<hub.api.task.Face>) r.value());
            default -> throw ApiError.badRequest("no annotated image for " + task);
        };
        return Annotator.png(image.data(), boxes);
    }

    /** Runs inference on the bounded pool: over capacity the answer is 429 at once, never an unbounded queue. */
    private <T> T work(Callable<T> job) {
        Future<T> f;
        try {
            f = pool.submit(job);
        } catch (RejectedExecutionException e) {
            throw new ApiError(429, "busy", "all " + pool.getMaximumPoolSize() + " inference workers are busy and "
                    + pool.getQueue().size() + " requests wait; retry shortly");
        }
        try {
            return f.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new ApiError(500, "internal", String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new ApiError(503, "timeout", "inference took longer than 120 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "interrupted", "the hub is stopping");
        }
    }

    private List<ImageInput> images(HttpServletRequest req) throws IOException, ServletException {
        long limit = config.maxImageMb() * (1L << 20);
        if (req.getContentLengthLong() > limit) {
            throw new ApiError(413, "too_large", "request body of " + req.getContentLengthLong() + " bytes; at most "
                    + limit);
        }
        String type = String.valueOf(req.getContentType()).toLowerCase(Locale.ROOT);
        List<ImageInput> out = new ArrayList<>();
        if (type.startsWith("multipart/form-data")) {
            long total = 0;
            for (Part part : req.getParts()) {
                if (part.getSubmittedFileName() == null && !part.getName().startsWith("image")) {
                    continue;
                }
                total += part.getSize();
                if (total > limit) {
                    throw new ApiError(413, "too_large", "images larger than " + limit + " bytes in all");
                }
                try (InputStream in = part.getInputStream()) {
                    String name = part.getSubmittedFileName() != null ? part.getSubmittedFileName() : part.getName();
                    out.add(new ImageInput(name, in.readAllBytes()));
                }
            }
        } else {
            String name = param(req, "name");
            out.add(new ImageInput(name == null ? "image" : name, body(req, limit)));
        }
        if (out.isEmpty()) {
            throw ApiError.badRequest("no image: send one as the request body, or as multipart parts with file names");
        }
        return out;
    }

    // ---- health and events ----

    private Object health() {
        HealthCheckExecutor executor = health;
        if (executor == null) {
            return new Answer(503, Map.of("healthy", false, "checks", List.of(), "reason", "no health check executor"));
        }
        HealthReport report = HealthReport.run(context, executor, List.of());
        return new Answer(report.healthy() ? 200 : 503, report);
    }

    @Override
    public void handleEvent(Event event) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("topic", event.getTopic());
        for (String name : event.getPropertyNames()) {
            if (!name.equals("event.topics")) {
                Object v = event.getProperty(name);
                m.put(name, v instanceof String || v instanceof Number || v instanceof Boolean ? v : String.valueOf(v));
            }
        }
        String json = Json.compact(m);
        // off Event Admin's thread: a slow client must never hold it (Event Admin blacklists slow handlers)
        heartbeat.execute(() -> broadcast("hub", json));
    }

    private void broadcast(String event, String json) {
        for (SseStream s : streams) {
            if (!s.send(event, json)) {
                streams.remove(s);
            }
        }
    }

    // ---- access ----

    private ApiKey authenticate(HttpServletRequest req) {
        String header = req.getHeader("Authorization");
        String secret = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
                : req.getHeader("X-API-Key");
        if (secret == null || secret.isBlank()) {
            throw ApiError.unauthorized("missing API key (Authorization: Bearer KEY, or X-API-Key: KEY; hub key create)");
        }
        return keys.authenticate(secret).orElseThrow(() -> ApiError.unauthorized("invalid or revoked API key"));
    }

    private static void requireAdmin(ApiKey key, String what) {
        if (!key.admin()) {
            throw ApiError.forbidden(what + " needs an admin key; key " + key.id() + " is not one");
        }
    }

    private static void requireTier(ApiKey key, ModelDescriptor d) {
        if (!key.tier().includes(tierOf(d))) {
            throw ApiError.forbidden(d.ref() + " is in the " + tierOf(d).id() + " tier; key " + key.id() + " is "
                    + key.tier().id());
        }
    }

    // ---- helpers ----

    /**
     * A query parameter, from the query string only: {@code getParameter} would parse an image sent as a form body
     * (curl's default content type) as form fields.
     */
    private static String param(HttpServletRequest req, String name) {
        String q = req.getQueryString();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (k.equals(name)) {
                return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
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

    private static ModelRef ref(String segment, String version) {
        ModelRef r = ModelRef.parse(segment);
        return version == null || version.isBlank() ? r : new ModelRef(r.name(), version);
    }

    private static Device device(String text) {
        if (text == null || text.isBlank()) {
            return Device.AUTO;
        }
        try {
            return Device.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("device '" + text + "': cpu, gpu or auto");
        }
    }

    private static String first(String a, String b) {
        return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
    }

    private static int integer(String text, int fallback, String name) {
        return (int) number(text, fallback, name);
    }

    private static double number(String text, double fallback, String name) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("parameter '" + name + "' is not a number: " + text);
        }
    }

    private static boolean isJson(HttpServletRequest req) {
        return String.valueOf(req.getContentType()).toLowerCase(Locale.ROOT).contains("json");
    }

    /** The request body, refused with 413 past the limit (declared or actual). */
    private static byte[] body(HttpServletRequest req, long limit) throws IOException {
        if (req.getContentLengthLong() > limit) {
            throw new ApiError(413, "too_large", "request body of " + req.getContentLengthLong() + " bytes; at most "
                    + limit);
        }
        byte[] b = req.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (b.length > limit) {
            throw new ApiError(413, "too_large", "request body larger than " + limit + " bytes");
        }
        return b;
    }

    private static void json(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(Json.write(body));
    }

    private static void error(HttpServletResponse resp, ApiError e) throws IOException {
        if (e.status >= 500) {
            LOG.log(System.Logger.Level.WARNING, "HTTP {0}: {1}", e.status, e.getMessage());
        }
        if (resp.isCommitted()) {
            return;
        }
        resp.reset();
        if (e.status == 429) {
            resp.setHeader("Retry-After", "1");
        }
        if (e.status == 401) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"vision-hub\"");
        }
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("status", e.status);
        err.put("code", e.code);
        err.put("message", e.getMessage());
        if (!e.details.isEmpty()) {
            err.put("details", e.details);
        }
        json(resp, e.status, Map.of("error", err));
    }
}
