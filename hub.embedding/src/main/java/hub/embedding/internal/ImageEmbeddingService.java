package hub.embedding.internal;

import hub.api.Device;
import hub.api.Family;
import hub.api.HubException;
import hub.api.LoaderParameters;
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
import hub.api.task.ImageEmbedder;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import java.util.ArrayList;
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
 * General image embeddings: the pooled features of a classification backbone (the tensor its descriptor names as
 * {@code featureOutput}), or the output of an {@code embedding}-family model; similar images get close vectors.
 */
@Component(service = VisionEmbeddingService.class, configurationPid = "hub.embedding.image")
@Designate(ocd = ImageEmbeddingService.Config.class)
@EmbeddingService(id = "image", description = "General image embeddings from a backbone's pooled features",
        version = "1.0.0", author = "Vision Model Hub", tags = {"image", "similarity", "search"})
public class ImageEmbeddingService extends CatalogEmbeddingService {
    /** Configuration (PID {@code hub.embedding.image}). */
    @ObjectClassDefinition(name = "Image embedding service")
    public @interface Config {
        /** @return the model used when a caller names none */
        @AttributeDefinition(description = "Embedding model used when none is named (NAME[@VERSION])")
        String defaultModel() default "mobilenetv2-embed@7";
    }

    private volatile Config config;

    /**
     * @param hub the runtime
     * @param registry the catalog
     * @param config configuration
     * @param properties the component's properties (id and metadata from {@code @EmbeddingService})
     */
    @Activate
    public ImageEmbeddingService(@Reference ModelHub hub, @Reference ModelRegistry registry, Config config,
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
        List<EmbeddingModelInfo> out = new ArrayList<>();
        for (ModelDescriptor d : registry.list(ModelQuery.ALL)) {
            boolean backbone = d.family().equals(Family.CLASSIFICATION)
                    && d.parameters().string(LoaderParameters.FEATURE_OUTPUT).isPresent();
            if (d.family().equals(Family.EMBEDDING) || backbone) {
                out.add(CatalogModels.info(d, hub));
            }
        }
        return out;
    }

    @Override
    public String defaultModel() {
        return config.defaultModel();
    }

    @Override
    public List<EmbeddingResult> embedDetailed(List<ImageInput> images, String model, int batchSize) {
        ModelDescriptor d = CatalogModels.resolve(registry, model == null ? defaultModel() : model);
        String name = d.ref().toString();
        try (ModelLease lease = hub.load(d.ref(), Device.AUTO)) {
            ImageEmbedder embedder = lease.task(ImageEmbedder.class).orElseThrow(() -> new HubException(name
                    + " cannot embed images (an embedding-family model, or a classifier with a featureOutput parameter)"));
            List<EmbeddingResult> out = new ArrayList<>();
            int step = batchSize > 0 ? batchSize : 16;
            for (int from = 0; from < images.size(); from += step) {
                for (ImageResult<Embedding> r : embedder.embed(images.subList(from, Math.min(images.size(), from + step)))) {
                    out.add(r.error() != null ? EmbeddingResult.failed(r.source(), name, r.error())
                            : EmbeddingResult.ok(r.source(), name, r.value().vector()));
                }
            }
            return out;
        }
    }

    @Override
    public EmbeddingHealth health() {
        if (!CatalogModels.known(registry, config.defaultModel())) {
            return EmbeddingHealth.failing("default model '" + config.defaultModel() + "' is not in the catalog");
        }
        ModelDescriptor d = CatalogModels.resolve(registry, config.defaultModel());
        if (!hub.availableFamilies().contains(d.family())) {
            return EmbeddingHealth.failing("no loader for family '" + d.family().id() + "' (default model " + d.ref() + ")");
        }
        return EmbeddingHealth.ok("loader for " + d.family().id() + " ready; default model " + d.ref() + ", "
                + models().size() + " model(s) in the catalog");
    }
}
