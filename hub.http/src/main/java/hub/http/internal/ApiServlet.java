package hub.http.internal;

import hub.api.AccessTier;
import hub.api.ArtifactStore;
import hub.api.Device;
import hub.api.DeviceService;
import hub.api.Family;
import hub.api.ModelDescriptor;
import hub.api.ModelHub;
import hub.api.ModelInfo;
import hub.api.ModelQuery;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import hub.api.HubEvents;
import hub.api.access.AccessPolicy;
import hub.api.access.ApiKey;
import hub.api.access.ApiKeys;
import hub.api.access.Caller;
import hub.api.access.Operation;
import hub.api.embedding.EmbeddingRegistry;
import hub.api.inference.Inference;
import hub.api.inference.InferenceResult;
import hub.api.inference.Task;
import hub.api.inference.TaskOptions;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
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
import java.util.concurrent.ConcurrentHashMap;
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
 * API key. The servlet decides nothing about access: tasks run through the hub's request path
 * ({@link Inference}) as the key's {@link Caller}, and every other route asks the {@link AccessPolicy}. Errors are
 * JSON: {@code {"error": {"status", "code", "message", "details"}}}.
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

    /** A non-200 answer. */
    private record Answer(int status, Object body) {
    }

    private final transient ModelRegistry registry;
    private final transient ArtifactStore store;
    private final transient ModelHub hub;
    private final transient DeviceService devices;
    private final transient ApiKeys keys;
    private final transient AccessPolicy policy;
    private final transient Inference inference;
    private final transient EmbeddingRegistry embeddings;
    private final transient hub.api.plugin.PluginManager plugins;
    private final transient BundleContext context;
    private final transient HttpConfig config;
    private final transient ThreadPoolExecutor pool;
    private final transient ScheduledExecutorService heartbeat;
    /** Open event streams and whose they are: each caller sees the events of what it may see. */
    private final transient Map<SseStream, Caller> streams = new ConcurrentHashMap<>();
    /** Request bodies being received, per key: a bound, so that slow senders with one key cannot hold every thread. */
    private final transient Map<String, java.util.concurrent.atomic.AtomicInteger> uploads = new ConcurrentHashMap<>();
    private final transient Jobs jobs = new Jobs(this::broadcastToAdmins);
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HealthCheckExecutor health;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile hub.api.fleet.Fleet fleet;

    /**
     * @param registry the catalog
     * @param store the artifact store
     * @param hub the runtime
     * @param devices device information
     * @param keys API keys
     * @param policy the access rules
     * @param inference the request path
     * @param embeddings embedding services
     * @param context where health checks are looked up
     * @param config workers, queue and body limits
     */
    @Activate
    public ApiServlet(@Reference ModelRegistry registry, @Reference ArtifactStore store, @Reference ModelHub hub,
            @Reference DeviceService devices, @Reference ApiKeys keys, @Reference AccessPolicy policy,
            @Reference Inference inference, @Reference EmbeddingRegistry embeddings,
            @Reference hub.api.plugin.PluginManager plugins, BundleContext context, HttpConfig config) {
        this.registry = registry;
        this.store = store;
        this.hub = hub;
        this.devices = devices;
        this.keys = keys;
        this.policy = policy;
        this.inference = inference;
        this.embeddings = embeddings;
        this.plugins = plugins;
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
        heartbeat.scheduleAtFixedRate(() -> streams.keySet().forEach(s -> {
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
        streams.keySet().forEach(SseStream::close);
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
        } catch (IOException e) {
            if (!clientGone(e)) {
                throw e;
            }
            // the client went away mid-request (an aborted upload): one line, no stack trace
            LOG.log(System.Logger.Level.INFO, "{0} {1} from {2}: client closed the connection ({3})", method, path,
                    req.getRemoteAddr(), e.getMessage());
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
        Caller key = Caller.of(authenticate(req));
        // the seeds' routes
        if (p.equals(List.of("api", "models")) && method.equals("GET")) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("models", catalog(key, ModelQuery.ALL));
            doc.put("active", inference.aliases(key));
            return doc;
        }
        if (p.equals(List.of("api", "models", "switch")) && method.equals("POST")) {
            return switchModels(req, key);
        }
        if (p.equals(List.of("models", "active")) && method.equals("GET")) {
            return inference.aliases(key);
        }
        if (p.equals(List.of("models", "status")) && method.equals("GET") || p.equals(List.of("api", "v1", "status"))
                && method.equals("GET")) {
            return inference.loaded(key);
        }
        if (p.size() < 3 || !p.get(0).equals("api") || !p.get(1).equals("v1")) {
            throw ApiError.notFound("no route " + method + " " + path);
        }
        List<String> r = p.subList(2, p.size());
        String head = r.get(0);
        if (head.equals("models")) {
            return models(req, key, method, r);
        }
        if (head.equals("plugins")) {
            return plugins(req, key, method, r);
        }
        if (head.equals("jobs") && r.size() >= 2) {
            policy.check(key, Operation.WATCH_JOBS, null);
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
                    return cache(key);
                case "device":
                    return devices.info();
                case "fleet":
                    return fleet(key);
                case "me":
                    return Map.of("id", key.id(), "tier", key.tier(), "admin", key.admin(), "mayFetch", key.mayFetch());
                case "embedders":
                    return embeddings.services();
                case "active":
                    return inference.aliases(key);
                case "events":
                    SseStream s = new SseStream(req.startAsync());
                    streams.put(s, key);
                    return HANDLED;
                default:
                    break;
            }
        }
        if (r.size() == 1 && method.equals("POST") && Task.all().stream().anyMatch(t -> t.id().equals(head))) {
            return infer(req, resp, key, Task.of(head));
        }
        throw ApiError.notFound("no route " + method + " " + path);
    }

    private Object models(HttpServletRequest req, Caller key, String method, List<String> r)
            throws IOException, ServletException {
        if (r.size() == 1) {
            if (method.equals("GET")) {
                return page(req, key);
            }
            if (method.equals("POST")) {
                policy.check(key, Operation.REGISTER, null);
                return new Answer(201, register(req, key));
            }
        }
        ModelRef ref = ref(r.get(1), param(req, "version"));
        if (r.size() == 2) {
            if (method.equals("GET")) {
                ModelInfo info = hub.info(ref);
                policy.check(key, Operation.SEE, info.descriptor());
                return info;
            }
            if (method.equals("DELETE")) {
                policy.check(key, Operation.DELETE, registry.get(ref));
                return Map.of("removed", store.remove(ref).stream().map(ModelRef::toString).toList());
            }
        }
        if (r.size() == 3 && method.equals("POST")) {
            ModelDescriptor d = registry.get(ref);
            policy.check(key, Operation.SEE, d);
            switch (r.get(2)) {
                case "download":
                    policy.check(key, Operation.FETCH, d);
                    Jobs.Job job = jobs.start(store, d.ref(), Boolean.parseBoolean(param(req, "force")));
                    return new Answer(202, job.view());
                case "validate":
                    policy.check(key, Operation.VALIDATE, d);
                    return store.validate(d.ref());
                case "load":
                    Device device = device(param(req, "device"));
                    return hub.info(inference.load(key, d.ref(), device).ref());
                case "unload":
                    policy.check(key, Operation.UNLOAD, d);
                    return hub.unload(d.ref());
                default:
                    break;
            }
        }
        throw ApiError.notFound("no route " + method + " " + req.getRequestURI());
    }

    // ---- plug-ins ----

    /** The largest plug-in jar an upload may carry. */
    private static final long MAX_PLUGIN_BYTES = 128L << 20;

    /**
     * {@code GET /api/v1/plugins}, {@code POST /api/v1/plugins} (the jar as the body, or {@code ?maven=G:A:V}),
     * {@code DELETE /api/v1/plugins/NAME}: admins only.
     */
    private Object plugins(HttpServletRequest req, Caller key, String method, List<String> r) throws IOException {
        policy.check(key, Operation.PLUGINS, null);
        java.time.Duration wait = java.time.Duration.ofSeconds(15);
        if (r.size() == 1 && method.equals("GET")) {
            return plugins.list();
        }
        if (r.size() == 1 && method.equals("POST")) {
            String maven = param(req, "maven");
            if (maven != null) {
                return new Answer(201, plugins.installMaven(maven, wait));
            }
            String name = java.util.Optional.ofNullable(param(req, "name")).orElse("upload").replaceAll("[^A-Za-z0-9._-]", "_");
            Path tmp = Files.createTempFile("hub-plugin-" + name, ".jar");
            try {
                Files.write(tmp, body(req, MAX_PLUGIN_BYTES));
                return new Answer(201, plugins.install(tmp, wait));
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        if (r.size() == 2 && method.equals("DELETE")) {
            return plugins.remove(r.get(1), wait);
        }
        throw ApiError.notFound("no route " + method + " " + req.getRequestURI());
    }

    // ---- catalog ----

    private static AccessTier tierOf(ModelDescriptor d) {
        return d.tier() == null ? AccessTier.LITE : d.tier();
    }

    /** The cache as the caller may see it: totals, and the entries of the models it may see. */
    private Object cache(Caller key) {
        hub.api.CacheInfo c = store.cacheInfo();
        if (key.admin()) {
            return c;
        }
        return new hub.api.CacheInfo(c.directory(), c.limitBytes(), c.usedBytes(), c.freeDiskBytes(), c.entries()
                .stream().filter(e -> policy.maySee(key, e.ref())).toList());
    }

    private List<Map<String, Object>> catalog(Caller key, ModelQuery query) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ModelDescriptor d : registry.list(query)) {
            if (!policy.maySee(key, d)) {
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

    private Map<String, Object> page(HttpServletRequest req, Caller key) {
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

    private List<String> register(HttpServletRequest req, Caller key) throws IOException {
        byte[] body = body(req, config.maxJsonKb() * 1024L);
        Path tmp = Files.createTempFile("hub-register", isJson(req) ? ".json" : ".yaml");
        try {
            Files.write(tmp, body);
            for (ModelDescriptor d : registry.read(tmp)) {
                policy.check(key, Operation.REGISTER, d); // file: sources only under the configured roots
            }
            return registry.register(tmp).stream().map(d -> d.ref().toString()).toList();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    // ---- switch ----

    private Object switchModels(HttpServletRequest req, Caller key) throws IOException {
        policy.check(key, Operation.SWITCH, null);
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
            registry.find(ref).ifPresent(d -> policy.check(key, Operation.SWITCH, d));
            targets.put(e.getKey().toString(), ref);
        }
        Object device = body.get("device");
        return hub.switchModels(targets, device(device == null ? null : device.toString()));
    }

    // ---- inference ----

    private Object infer(HttpServletRequest req, HttpServletResponse resp, Caller key, Task<?> task)
            throws IOException, ServletException {
        List<ImageInput> images = images(req, key);
        String model = param(req, "model");
        boolean png = Boolean.parseBoolean(param(req, "annotate"))
                || String.valueOf(req.getHeader("Accept")).startsWith("image/png");
        TaskOptions options = TaskOptions.DEFAULT.withThreshold((float) number(param(req, "threshold"), Float.NaN,
                "threshold")).withTop(integer(param(req, "top"), 5, "top"))
                .withService(param(req, "service"), integer(param(req, "batch"), 0, "batch"));
        Object result = work(() -> {
            InferenceResult<?> r = inference.run(key, task, model, images, options);
            return png ? annotated(task, images.get(0), r.results().get(0)) : r;
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
    private static byte[] annotated(Task<?> task, ImageInput image, ImageResult<?> r) throws IOException {
        if (r.error() != null) {
            throw ApiError.badRequest(r.source() + ": " + r.error());
        }
        return switch (task.id()) {
            case "detect" -> Annotator.png(image.data(), Annotator.detections((List<hub.api.task.Detection>) r.value()),
                    Annotator.Style.BOXES);
            case "ocr" -> Annotator.png(image.data(), Annotator.lines((List<hub.api.task.TextLine>) r.value()),
                    Annotator.Style.TEXT);
            case "faces" -> Annotator.png(image.data(), Annotator.faces((List<hub.api.task.Face>) r.value()),
                    Annotator.Style.FACES);
            default -> throw ApiError.badRequest("no annotated image for " + task);
        };
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

    private List<ImageInput> images(HttpServletRequest req, Caller key) throws IOException, ServletException {
        java.util.concurrent.atomic.AtomicInteger open = uploads.computeIfAbsent(key.id(),
                k -> new java.util.concurrent.atomic.AtomicInteger());
        if (open.incrementAndGet() > Math.max(1, config.maxUploadsPerKey())) {
            open.decrementAndGet();
            throw new ApiError(429, "busy", "key " + key.id() + " is already sending " + config.maxUploadsPerKey()
                    + " request bodies; wait for them (hub.http maxUploadsPerKey)");
        }
        try {
            return receiveImages(req);
        } finally {
            open.decrementAndGet();
        }
    }

    private List<ImageInput> receiveImages(HttpServletRequest req) throws IOException, ServletException {
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
        // off Event Admin's thread: a slow client must never hold it (Event Admin blacklists slow handlers)
        heartbeat.execute(() -> streams.forEach((s, caller) -> {
            Map<String, Object> visible = visibleEvent(caller, m);
            if (visible != null && !s.send("hub", Json.compact(visible))) {
                streams.remove(s);
            }
        }));
    }

    /**
     * What of a hub event a caller may see: everything for admins; for others no download (artifact) events, model
     * events of the models it may see, and an alias switch with only the aliases whose models it may see.
     */
    private Map<String, Object> visibleEvent(Caller caller, Map<String, Object> event) {
        if (caller.admin()) {
            return event;
        }
        String topic = event.get("topic").toString();
        if (topic.startsWith(HubEvents.ARTIFACT_TOPIC_PREFIX)) {
            return null;
        }
        if (topic.startsWith(HubEvents.MODEL_TOPIC_PREFIX)) {
            Object name = event.get(HubEvents.MODEL);
            Object version = event.get(HubEvents.VERSION);
            return name != null && version != null && maySee(caller, name + "@" + version)
                    ? event : null;
        }
        if (topic.equals(HubEvents.SWITCH_TOPIC)) {
            Map<String, Object> out = new LinkedHashMap<>();
            event.forEach((k, v) -> {
                if (k.equals("topic") || maySee(caller, v.toString())) {
                    out.put(k, v);
                }
            });
            return out;
        }
        return event;
    }

    private boolean maySee(Caller caller, String ref) {
        try {
            return policy.maySee(caller, ModelRef.parse(ref));
        } catch (IllegalArgumentException e) {
            return false; // not a model reference
        }
    }

    private void broadcastToAdmins(String event, String json) {
        streams.forEach((s, caller) -> {
            if (caller.admin() && !s.send(event, json)) {
                streams.remove(s);
            }
        });
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

    // ---- helpers ----

    /** Jetty reports a connection the client closed or reset as an {@code EofException}, an {@code EOFException}. */
    private static boolean clientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

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

    private Object fleet(Caller key) {
        policy.check(key, Operation.FLEET, null);
        hub.api.fleet.Fleet f = fleet;
        if (f == null) {
            throw new ApiError(503, "unavailable", "the hub's runtime is not available");
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("self", f.self());
        doc.put("store", f.store());
        doc.put("hubs", f.members());
        return doc;
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

    /**
     * The request body, refused with 413 past the limit (declared or actual) and with 408 when, after the grace
     * period, it arrives slower than the configured minimum rate (a slow sender must not hold a thread for long).
     */
    private byte[] body(HttpServletRequest req, long limit) throws IOException {
        if (req.getContentLengthLong() > limit) {
            throw new ApiError(413, "too_large", "request body of " + req.getContentLengthLong() + " bytes; at most "
                    + limit);
        }
        InputStream in = req.getInputStream();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(
                (int) Math.max(0, Math.min(limit, req.getContentLengthLong())));
        byte[] buffer = new byte[64 << 10];
        long start = System.nanoTime();
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > limit) {
                throw new ApiError(413, "too_large", "request body larger than " + limit + " bytes");
            }
            out.write(buffer, 0, n);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (seconds > config.uploadGraceSeconds() && total < config.minUploadBytesPerSecond() * seconds) {
                throw new ApiError(408, "too_slow", String.format(Locale.ROOT, "request body too slow: %d bytes in "
                        + "%.0f s, at least %d bytes/s expected (hub.http minUploadBytesPerSecond)", total, seconds,
                        config.minUploadBytesPerSecond()));
            }
        }
        return out.toByteArray();
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
