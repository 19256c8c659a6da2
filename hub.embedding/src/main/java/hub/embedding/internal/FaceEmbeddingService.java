package hub.embedding.internal;

import hub.api.Device;
import hub.api.Family;
import hub.api.HubException;
import hub.api.ModelDescriptor;
import hub.api.ModelHub;
import hub.api.ModelLease;
import hub.api.ModelQuery;
import hub.api.ModelRegistry;
import hub.api.embedding.EmbeddingHealth;
import hub.api.embedding.EmbeddingModelInfo;
import hub.api.embedding.EmbeddingResult;
import hub.api.embedding.EmbeddingService;
import hub.api.embedding.VisionEmbeddingService;
import hub.api.task.Embedding;
import hub.api.task.Face;
import hub.api.task.FaceDetector;
import hub.api.task.FaceEmbedder;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Face embeddings backed by the face family: each image's largest face is found by the configured detector, aligned
 * from its landmarks and embedded by the chosen recognition model (the catalog's face models tagged
 * {@code embedding}). An image without a face gets that error.
 */
@Component(service = VisionEmbeddingService.class, configurationPid = "hub.embedding.face")
@Designate(ocd = FaceEmbeddingService.Config.class)
@EmbeddingService(id = "face", description = "Face embeddings: detect, align and embed the largest face",
        version = "1.0.0", author = "Vision Model Hub", tags = {"face", "recognition", "identity"})
public class FaceEmbeddingService extends CatalogEmbeddingService {
    /** Configuration (PID {@code hub.embedding.face}). */
    @ObjectClassDefinition(name = "Face embedding service")
    public @interface Config {
        /** @return the recognition model used when a caller names none */
        @AttributeDefinition(description = "Face recognition model used when none is named (NAME[@VERSION])")
        String defaultModel() default "sface@2021dec";

        /** @return the face detector */
        @AttributeDefinition(description = "Face detector model (NAME[@VERSION])")
        String detector() default "yunet";
    }

    private volatile Config config;

    /**
     * @param hub the runtime
     * @param registry the catalog
     * @param config configuration
     * @param properties the component's properties (id and metadata from {@code @EmbeddingService})
     */
    @Activate
    public FaceEmbeddingService(@Reference ModelHub hub, @Reference ModelRegistry registry, Config config,
            Map<String, Object> properties) {
        super(hub, registry, properties);
        this.config = config;
    }

    @Modified
    void modified(Config c) {
        this.config = c;
    }

    @Override
    public List<EmbeddingModelInfo> models() {
        return registry.list(new ModelQuery(Family.FACE, "embedding", null)).stream()
                .map(d -> CatalogModels.info(d, hub)).toList();
    }

    @Override
    public String defaultModel() {
        return config.defaultModel();
    }

    @Override
    public List<EmbeddingResult> embedDetailed(List<ImageInput> images, String model, int batchSize) {
        ModelDescriptor d = CatalogModels.resolve(registry, model == null ? defaultModel() : model);
        ModelDescriptor det = CatalogModels.resolve(registry, config.detector());
        String name = d.ref().toString();
        try (ModelLease detector = hub.load(det.ref(), Device.AUTO); ModelLease embedder = hub.load(d.ref(), Device.AUTO)) {
            FaceDetector fd = detector.task(FaceDetector.class)
                    .orElseThrow(() -> new HubException(det.ref() + " is not a face detector"));
            FaceEmbedder fe = embedder.task(FaceEmbedder.class)
                    .orElseThrow(() -> new HubException(name + " is not a face recognition model"));
            List<EmbeddingResult> out = new ArrayList<>();
            int step = batchSize > 0 ? batchSize : 8;
            for (int from = 0; from < images.size(); from += step) {
                List<ImageInput> chunk = images.subList(from, Math.min(images.size(), from + step));
                List<ImageResult<List<Face>>> found = fd.detectFaces(chunk, Float.NaN);
                for (int i = 0; i < chunk.size(); i++) {
                    out.add(embedLargest(fe, chunk.get(i), found.get(i), name));
                }
            }
            return out;
        }
    }

    private static EmbeddingResult embedLargest(FaceEmbedder fe, ImageInput image, ImageResult<List<Face>> faces,
            String model) {
        if (faces.error() != null) {
            return EmbeddingResult.failed(image.name(), model, faces.error());
        }
        if (faces.value().isEmpty()) {
            return EmbeddingResult.failed(image.name(), model, "no face found");
        }
        Face largest = faces.value().stream()
                .max(Comparator.comparingDouble(f -> f.box().width() * f.box().height())).orElseThrow();
        try {
            Embedding e = fe.embedFaces(image, List.of(largest)).get(0);
            return EmbeddingResult.ok(image.name(), model, e.vector());
        } catch (RuntimeException ex) {
            return EmbeddingResult.failed(image.name(), model, ex.getMessage());
        }
    }

    @Override
    public EmbeddingHealth health() {
        if (!hub.availableFamilies().contains(Family.FACE)) {
            return EmbeddingHealth.failing("no loader for family 'face' (is hub.loader.face installed and active?)");
        }
        Config c = config;
        if (!CatalogModels.known(registry, c.detector())) {
            return EmbeddingHealth.failing("face detector '" + c.detector() + "' is not in the catalog");
        }
        if (!CatalogModels.known(registry, c.defaultModel())) {
            return EmbeddingHealth.failing("default model '" + c.defaultModel() + "' is not in the catalog");
        }
        return EmbeddingHealth.ok("face loader ready; detector " + c.detector() + ", default model " + c.defaultModel()
                + ", " + models().size() + " recognition model(s) in the catalog");
    }
}
