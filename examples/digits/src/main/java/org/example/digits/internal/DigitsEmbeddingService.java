package org.example.digits.internal;

import hub.api.Device;
import hub.api.Family;
import hub.api.HubException;
import hub.api.ModelDescriptor;
import hub.api.ModelHub;
import hub.api.ModelLease;
import hub.api.ModelQuery;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import hub.api.embedding.EmbeddingHealth;
import hub.api.embedding.EmbeddingModelInfo;
import hub.api.embedding.EmbeddingResult;
import hub.api.embedding.EmbeddingService;
import hub.api.embedding.EmbeddingServiceMetadata;
import hub.api.embedding.VisionEmbeddingService;
import hub.api.task.Classification;
import hub.api.task.Classifier;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * A plug-in embedding service: each image becomes the ten digit probabilities of a "digits" model, a small vector
 * space where the same digit drawn differently lands close. The hub finds it as a whiteboard service; stopping this
 * bundle removes it from {@code hub embedders}.
 */
@Component(service = VisionEmbeddingService.class)
@EmbeddingService(id = "digits", description = "Digit-probability embeddings from a digits model (example plug-in)",
        version = "1.0.0", author = "example.org", tags = {"example", "digits"})
public class DigitsEmbeddingService implements VisionEmbeddingService {
    private static final Family DIGITS = Family.of("digits");
    private final ModelHub hub;
    private final ModelRegistry registry;
    private final EmbeddingServiceMetadata metadata;

    /**
     * @param hub the hub's runtime
     * @param registry the hub's catalog
     * @param properties this component's properties: the metadata declared by {@code @EmbeddingService} above
     */
    @Activate
    public DigitsEmbeddingService(@Reference ModelHub hub, @Reference ModelRegistry registry,
            java.util.Map<String, Object> properties) {
        this.hub = hub;
        this.registry = registry;
        this.metadata = EmbeddingServiceMetadata.of(properties);
    }

    @Override
    public String id() {
        return "digits";
    }

    @Override
    public EmbeddingServiceMetadata metadata() {
        return metadata;
    }

    @Override
    public List<EmbeddingModelInfo> models() {
        return registry.list(new ModelQuery(DIGITS, null, null)).stream()
                .map(d -> new EmbeddingModelInfo(d.ref().toString(), 10, 28, 1 << 20, 5, "handwritten digits"))
                .toList();
    }

    @Override
    public String defaultModel() {
        return registry.list(new ModelQuery(DIGITS, null, null)).stream().map(ModelDescriptor::ref)
                .map(Object::toString).reduce((a, b) -> b).orElse("");
    }

    @Override
    public List<EmbeddingResult> embedDetailed(List<ImageInput> images, String model, int batchSize) {
        String name = model == null || model.isBlank() ? defaultModel() : model;
        if (name.isEmpty()) {
            throw new HubException("no digits model in the catalog");
        }
        ModelDescriptor d = registry.get(ModelRef.parse(name));
        try (ModelLease lease = hub.load(d.ref(), Device.AUTO)) {
            List<EmbeddingResult> out = new ArrayList<>();
            for (ImageResult<List<Classification>> r : lease.require(Classifier.class).classify(images, 10)) {
                if (r.error() != null) {
                    out.add(EmbeddingResult.failed(r.source(), d.ref().toString(), r.error()));
                    continue;
                }
                float[] v = new float[10];
                r.value().stream().sorted(Comparator.comparingInt(Classification::index))
                        .forEach(c -> v[c.index()] = c.probability());
                out.add(EmbeddingResult.ok(r.source(), d.ref().toString(), v));
            }
            return out;
        }
    }

    @Override
    public EmbeddingHealth health() {
        if (!hub.availableFamilies().contains(DIGITS)) {
            return EmbeddingHealth.failing("no loader for family 'digits'");
        }
        return defaultModel().isEmpty() ? EmbeddingHealth.failing("no digits model in the catalog")
                : EmbeddingHealth.ok("digits loader ready; model " + defaultModel());
    }
}
