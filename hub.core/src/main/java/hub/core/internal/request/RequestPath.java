package hub.core.internal.request;

import hub.api.Device;
import hub.api.HubException;
import hub.api.LoadedModelInfo;
import hub.api.ModelDescriptor;
import hub.api.ModelHub;
import hub.api.ModelLease;
import hub.api.ModelNotFoundException;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import hub.api.access.AccessPolicy;
import hub.api.access.Caller;
import hub.api.access.Operation;
import hub.api.embedding.EmbeddingRegistry;
import hub.api.embedding.EmbeddingResult;
import hub.api.embedding.EmbeddingServiceInfo;
import hub.api.inference.FaceComparison;
import hub.api.inference.Inference;
import hub.api.inference.InferenceResult;
import hub.api.inference.Task;
import hub.api.inference.TaskOptions;
import hub.api.inference.UnreadableImagesException;
import hub.api.task.Classifier;
import hub.api.task.DetectionOptions;
import hub.api.task.Detector;
import hub.api.task.Embedding;
import hub.api.task.Face;
import hub.api.task.FaceDetector;
import hub.api.task.FaceEmbedder;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import hub.api.task.TextReader;
import hub.core.internal.runtime.FetchGuard;
import hub.api.UnloadResult;
import hub.api.inference.ModelSignature;
import hub.api.inference.ModelStatistics;
import hub.api.inference.TensorResult;
import hub.api.task.Tensor;
import hub.api.task.TensorModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The one request path: resolves a request's model once, takes one lease, checks the caller against the leased
 * model's descriptor (so an alias switched meanwhile can never hand a caller a model above its tier), refuses
 * downloads the caller may not cause (for every load made on its behalf, through {@link FetchGuard}), bounds the
 * decoding memory, runs the task and applies the "no image could be used" rule.
 */
@Component(service = Inference.class, configurationPid = "hub.inference")
@Designate(ocd = InferenceConfig.class)
public class RequestPath implements Inference {
    /** The face detector when neither the request nor the {@code face} alias names one. */
    static final String DEFAULT_FACE_DETECTOR = "yunet";

    private final ModelHub hub;
    private final ModelRegistry registry;
    private final AccessPolicy policy;
    private final FetchGuard guard;
    private volatile DecodeBudget budget;
    private final RequestStatistics stats = new RequestStatistics();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EmbeddingRegistry embeddings;

    /**
     * @param hub the runtime
     * @param registry the catalog
     * @param policy the access rules
     * @param guard the per-request download right
     * @param config the decoding limits
     */
    @Activate
    public RequestPath(@Reference ModelHub hub, @Reference ModelRegistry registry, @Reference AccessPolicy policy,
            @Reference FetchGuard guard, InferenceConfig config) {
        this.hub = hub;
        this.registry = registry;
        this.policy = policy;
        this.guard = guard;
        this.budget = DecodeBudget.of(config);
    }

    @Modified
    void modified(InferenceConfig config) {
        this.budget = DecodeBudget.of(config);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> InferenceResult<T> run(Caller caller, Task<T> task, String model, List<ImageInput> images,
            TaskOptions options) {
        if (images == null || images.isEmpty()) {
            throw new IllegalArgumentException(task + " needs at least one image");
        }
        TaskOptions o = options == null ? TaskOptions.DEFAULT : options;
        try (DecodeBudget.Permit permit = budget.reserve(images)) {
            if (task.equals(Task.EMBED)) {
                return (InferenceResult<T>) embed(caller, blank(model), images, o);
            }
            long start = System.nanoTime();
            return guard.run(caller, () -> {
                try (ModelLease lease = lease(caller, task, blank(model), o.device())) {
                    long leased = System.nanoTime();
                    ModelRef ref = lease.descriptor().ref();
                    List<? extends ImageResult<?>> results;
                    try {
                        results = runTask(task, lease, images, o);
                        requireOneRead(results);
                    } catch (RuntimeException e) {
                        stats.failure(ref);
                        throw e;
                    }
                    stats.success(ref, images.size(), start, leased, System.nanoTime());
                    return new InferenceResult<>(ref, lease.device(), (List<ImageResult<T>>) results);
                }
            });
        }
    }

    private static List<? extends ImageResult<?>> runTask(Task<?> task, ModelLease lease, List<ImageInput> images,
            TaskOptions o) {
        if (task.equals(Task.DETECT)) {
            return lease.require(Detector.class).detect(images, new DetectionOptions(o.threshold(), Float.NaN, 0));
        }
        if (task.equals(Task.CLASSIFY)) {
            return lease.require(Classifier.class).classify(images, o.top());
        }
        if (task.equals(Task.OCR)) {
            return lease.require(TextReader.class).read(images);
        }
        if (task.equals(Task.FACES)) {
            return lease.require(FaceDetector.class).detectFaces(images, o.threshold());
        }
        throw new IllegalArgumentException("unknown task " + task);
    }

    /**
     * The model of a request, leased once: the explicit one, else what the task's alias points to at the moment of
     * the lease. The caller is checked against the current target first (nothing is loaded for a caller who may not
     * use it) and against the leased model's descriptor after (the one that decides).
     */
    private ModelLease lease(Caller caller, Task<?> task, String model, Device device) {
        ModelLease lease;
        String alias = model == null ? task.alias() : aliasNamed(model);
        if (model != null && alias == null) {
            ModelDescriptor d = registry.get(ModelRef.parse(model));
            policy.check(caller, Operation.INFER, d);
            lease = hub.load(d.ref(), device);
        } else if (model != null) {
            ModelRef target = hub.aliases().get(alias);
            registry.find(target).ifPresent(d -> policy.check(caller, Operation.INFER, d));
            lease = hub.lease(alias, device);
        } else {
            ModelRef target = hub.aliases().get(task.alias());
            if (target == null) {
                if (!task.equals(Task.FACES)) {
                    throw new ModelNotFoundException("alias:" + task.alias(), "no model named and the '" + task.alias()
                            + "' alias is not set: name one (--model NAME[@VERSION], or ?model= over HTTP) or set it"
                            + " (hub switch " + task.alias() + "=NAME@VERSION)");
                }
                ModelDescriptor d = registry.get(ModelRef.parse(DEFAULT_FACE_DETECTOR));
                policy.check(caller, Operation.INFER, d);
                lease = hub.load(d.ref(), device);
            } else {
                registry.find(target).ifPresent(d -> policy.check(caller, Operation.INFER, d));
                lease = hub.lease(task.alias(), device);
            }
        }
        try {
            policy.check(caller, Operation.INFER, lease.descriptor());
            return lease;
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /**
     * The alias a model name means: a name that is no catalog model's but an alias's (a catalog name wins, and a
     * name with a version is never an alias).
     */
    private String aliasNamed(String model) {
        if (model.contains("@") || !hub.aliases().containsKey(model)) {
            return null;
        }
        return registry.versions(model).isEmpty() ? model : null;
    }

    @Override
    public ModelSignature describe(Caller caller, String model, boolean load) {
        String name = blank(model);
        if (name == null) {
            throw new IllegalArgumentException("no model named");
        }
        String alias = aliasNamed(name);
        ModelRef ref = alias != null ? hub.aliases().get(alias) : ModelRef.parse(name);
        ModelDescriptor d = registry.get(ref);
        policy.check(caller, Operation.SEE, d);
        if (!load) {
            Optional<LoadedModelInfo> info = hub.loaded().stream().filter(i -> i.ref().equals(d.ref())).findFirst();
            if (info.isEmpty()) {
                return new ModelSignature(d.ref(), d.family(), false, Device.AUTO, List.of(), List.of(), List.of());
            }
        }
        return guard.run(caller, () -> {
            try (ModelLease lease = lease(caller, Task.DETECT, alias != null ? alias : d.ref().toString(),
                    Device.AUTO)) {
                List<String> tasks = new ArrayList<>();
                TASKS.forEach((task, type) -> {
                    if (lease.task(type).isPresent()) {
                        tasks.add(task.id());
                    }
                });
                Optional<TensorModel> graph = lease.task(TensorModel.class);
                return new ModelSignature(lease.descriptor().ref(), lease.descriptor().family(), true, lease.device(),
                        graph.map(TensorModel::inputs).orElse(List.of()),
                        graph.map(TensorModel::outputs).orElse(List.of()), tasks);
            }
        });
    }

    /** The image tasks a leased model may offer, in the order a protocol prefers them. */
    private static final Map<Task<?>, Class<?>> TASKS = new LinkedHashMap<>();

    static {
        TASKS.put(Task.DETECT, Detector.class);
        TASKS.put(Task.CLASSIFY, Classifier.class);
        TASKS.put(Task.OCR, TextReader.class);
        TASKS.put(Task.FACES, FaceDetector.class);
    }

    @Override
    public TensorResult infer(Caller caller, String model, List<Tensor> inputs, Set<String> outputs) {
        String name = blank(model);
        if (name == null) {
            throw new IllegalArgumentException("no model named");
        }
        long bytes = inputs.stream().mapToLong(t -> t.data().remaining()).sum();
        try (DecodeBudget.Permit permit = budget.reserveBytes(2 * bytes)) {
            long start = System.nanoTime();
            return guard.run(caller, () -> {
                try (ModelLease lease = lease(caller, Task.DETECT, name, Device.AUTO)) {
                    long leased = System.nanoTime();
                    ModelRef ref = lease.descriptor().ref();
                    List<Tensor> out;
                    try {
                        TensorModel graph = lease.task(TensorModel.class).orElseThrow(
                                () -> new UnsupportedOperationException(ref + " offers no raw graph (its loader runs"
                                        + " no ONNX session for it); send images instead"));
                        out = graph.run(inputs, outputs == null ? Set.of() : outputs);
                    } catch (RuntimeException e) {
                        stats.failure(ref);
                        throw e;
                    }
                    stats.success(ref, 1, start, leased, System.nanoTime());
                    return new TensorResult(ref, lease.device(), out);
                }
            });
        }
    }

    @Override
    public UnloadResult unload(Caller caller, ModelRef ref) {
        ModelDescriptor d = registry.get(ref);
        policy.check(caller, Operation.UNLOAD, d);
        return hub.unload(d.ref());
    }

    @Override
    public List<ModelStatistics> statistics(Caller caller) {
        return stats.snapshot().stream().filter(s -> policy.maySee(caller, s.ref())).toList();
    }

    private InferenceResult<Embedding> embed(Caller caller, String model, List<ImageInput> images, TaskOptions o) {
        EmbeddingRegistry reg = embeddings;
        if (reg == null) {
            throw new HubException("no embedding services: the hub.embedding bundle is not active");
        }
        String service = blank(o.service());
        String chosen = model;
        if (chosen == null) {
            EmbeddingServiceInfo info = service == null ? reg.services().stream().findFirst().orElseThrow(
                    () -> new HubException("no embedding service is registered"))
                    : reg.services().stream().filter(s -> s.id().equals(service)).findFirst().orElseThrow(
                            () -> new HubException("no embedding service '" + service + "' (services: "
                                    + reg.services().stream().map(EmbeddingServiceInfo::id).toList() + ")"));
            chosen = info.defaultModel();
        }
        ModelDescriptor d = registry.get(ModelRef.parse(chosen));
        policy.check(caller, Operation.INFER, d);
        String ref = d.ref().toString();
        long start = System.nanoTime();
        List<EmbeddingResult> raw;
        try {
            raw = guard.run(caller, () -> reg.embed(service, ref, images, o.batch()));
        } catch (RuntimeException e) {
            stats.failure(d.ref());
            throw e;
        }
        List<ImageResult<Embedding>> results = new ArrayList<>();
        for (EmbeddingResult r : raw) {
            results.add(r.error() != null ? ImageResult.failed(r.source(), r.error())
                    : ImageResult.ok(r.source(), new Embedding(r.model(), r.vector())));
        }
        try {
            requireOneRead(results);
        } catch (RuntimeException e) {
            stats.failure(d.ref());
            throw e;
        }
        long end = System.nanoTime();
        stats.success(d.ref(), images.size(), start, start, end);
        Device device = hub.loaded().stream().filter(i -> i.ref().equals(d.ref())).map(LoadedModelInfo::device)
                .findFirst().orElse(Device.AUTO);
        return new InferenceResult<>(d.ref(), device, results);
    }

    @Override
    public FaceComparison compareFaces(Caller caller, String detector, String embedder, ImageInput a, ImageInput b,
            float threshold) {
        List<ImageInput> inputs = List.of(a, b);
        if (blank(embedder) == null) {
            throw new IllegalArgumentException("compare-faces needs a face recognition model (--embedder)");
        }
        try (DecodeBudget.Permit permit = budget.reserve(inputs)) {
            return guard.run(caller, () -> {
                try (ModelLease det = lease(caller, Task.FACES, blank(detector), Device.AUTO);
                        ModelLease emb = lease(caller, Task.FACES, embedder, Device.AUTO)) {
                    FaceEmbedder embed = emb.require(FaceEmbedder.class);
                    List<Embedding> vectors = new ArrayList<>();
                    List<ImageResult<List<Face>>> found = det.require(FaceDetector.class).detectFaces(inputs, Float.NaN);
                    for (int i = 0; i < found.size(); i++) {
                        ImageResult<List<Face>> r = found.get(i);
                        if (r.error() != null) {
                            throw new IllegalArgumentException(r.source() + ": " + r.error());
                        }
                        if (r.value().isEmpty()) {
                            throw new IllegalArgumentException(r.source() + ": no face found");
                        }
                        vectors.add(embed.embedFaces(inputs.get(i), List.of(r.value().get(0))).get(0));
                    }
                    float similarity = vectors.get(0).cosine(vectors.get(1));
                    float t = Float.isNaN(threshold) ? embed.defaultThreshold() : threshold;
                    return new FaceComparison(det.descriptor().ref(), emb.descriptor().ref(), similarity, t,
                            embed.verify(vectors.get(0), vectors.get(1), threshold));
                }
            });
        }
    }

    @Override
    public LoadedModelInfo load(Caller caller, ModelRef ref, Device device) {
        ModelDescriptor d = registry.get(ref);
        policy.check(caller, Operation.LOAD, d);
        return guard.run(caller, () -> {
            try (ModelLease lease = hub.load(d.ref(), device)) {
                return hub.loaded().stream().filter(i -> i.ref().equals(lease.descriptor().ref())
                        && i.device() == lease.device()).findFirst()
                        .orElseThrow(() -> new HubException(d.ref() + " was unloaded right after loading"));
            }
        });
    }

    @Override
    public <T> T withProgress(hub.api.ProgressListener progress, java.util.function.Supplier<T> work) {
        return guard.withProgress(progress, work);
    }

    @Override
    public Map<String, ModelRef> aliases(Caller caller) {
        Map<String, ModelRef> out = new TreeMap<>();
        hub.aliases().forEach((alias, ref) -> {
            if (policy.maySee(caller, ref)) {
                out.put(alias, ref);
            }
        });
        return out;
    }

    @Override
    public List<LoadedModelInfo> loaded(Caller caller) {
        return hub.loaded().stream().filter(i -> policy.maySee(caller, i.ref())).toList();
    }

    /** A batch where no image could be used is a failed request; otherwise bad images keep their own errors. */
    private static void requireOneRead(List<? extends ImageResult<?>> results) {
        if (!results.isEmpty() && results.stream().allMatch(r -> r.error() != null)) {
            List<String> details = results.stream().map(r -> r.source() + ": " + r.error()).toList();
            throw new UnreadableImagesException(results.size() == 1 ? details.get(0)
                    : "no image could be used (" + results.size() + " failed): " + details.get(0), details);
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
