package hub.loader.resnet.internal;

import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import hub.api.ArtifactSpec;
import hub.api.Family;
import hub.api.LoaderParameters;
import hub.api.spi.LoadRequest;
import hub.api.spi.LoadedModel;
import hub.api.spi.ModelFamily;
import hub.api.spi.ModelLoader;
import hub.runtime.InferenceRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Loader for the {@code classification} family: any N x C x H x W classifier with descriptor-driven preprocessing.
 * A descriptor naming a {@code featureOutput} makes the model an image embedder too (see {@link BackboneEmbeddingLoader}
 * for the {@code embedding} family).
 */
@Component(service = ModelLoader.class)
@ModelFamily("classification")
public class ResnetLoader implements ModelLoader {
    private final InferenceRuntime runtime;

    /**
     * @param runtime the shared ONNX Runtime
     */
    @Activate
    public ResnetLoader(@Reference InferenceRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public LoadedModel open(LoadRequest request) throws Exception {
        LoaderParameters p = request.descriptor().parameters();
        boolean classifies = request.descriptor().family().equals(Family.CLASSIFICATION);
        String features = p.string(LoaderParameters.FEATURE_OUTPUT).orElse(null);
        OrtSession session = runtime.open(request, request.modelFile(), features == null ? List.of() : List.of(features));
        try {
            long[] shape = ((TensorInfo) session.getInputInfo().values().iterator().next().getInfo()).getShape();
            if (shape.length != 4) {
                throw new IllegalArgumentException("classifier input must be N x C x H x W, is " + shape.length + "-d");
            }
            int channels = shape[1] > 0 ? (int) shape[1] : 3;
            int size = shape[2] > 0 ? (int) shape[2] : p.integer(LoaderParameters.INPUT_SIZE, 224);
            String output = p.string(LoaderParameters.OUTPUT_NAME).orElse(session.getOutputNames().iterator().next());
            if (!classifies && features == null) {
                features = output; // an embedding model: its output is the embedding
            }
            return new ResnetModel(session, request.device(), runtime, Preprocess.of(p, size, channels),
                    Math.max(size, Preprocess.resize(p, size)), output,
                    labels(request.files().get(ArtifactSpec.LABELS), p), p.integer(LoaderParameters.BATCH_SIZE, 8),
                    features, request.descriptor().ref().toString(), classifies);
        } catch (Exception e) {
            session.close();
            throw e;
        }
    }

    /**
     * Class names: the labels artifact (one per line; a leading WordNet id such as {@code n01440764 } is dropped),
     * else an inline {@code labels} parameter, else class indices.
     */
    static List<String> labels(Path file, LoaderParameters p) throws java.io.IOException {
        if (file != null) {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::trim).filter(s -> !s.isEmpty())
                    .map(s -> s.matches("n\\d{8} .*") ? s.substring(10) : s).toList();
        }
        return p.strings("labels").orElse(List.of());
    }
}
