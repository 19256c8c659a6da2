package hub.loader.resnet.internal;

import hub.api.spi.ModelFamily;
import hub.api.spi.ModelLoader;
import hub.runtime.InferenceRuntime;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Loader for the {@code embedding} family: an N x C x H x W image model whose embedding is its output, or the tensor
 * its descriptor names as {@code featureOutput} (a classification backbone's pooled features), with the same
 * descriptor-driven preprocessing as the classifiers.
 */
@Component(service = ModelLoader.class)
@ModelFamily("embedding")
public class BackboneEmbeddingLoader extends ResnetLoader {
    /**
     * @param runtime the shared ONNX Runtime
     */
    @Activate
    public BackboneEmbeddingLoader(@Reference InferenceRuntime runtime) {
        super(runtime);
    }
}
