package hub.loader.resnet.internal;

import hub.api.Device;
import hub.api.LoaderParameters;
import hub.api.spi.LoadRequest;
import hub.api.spi.LoadedModel;
import hub.api.spi.ModelFamily;
import hub.api.spi.ModelLoader;
import hub.runtime.InferenceRuntime;
import hub.runtime.SessionSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Loader for the {@code classification} family. It opens the model's ONNX session through the shared inference runtime;
 * the resize, normalisation and softmax pre- and post-processing arrive with the model-families issue.
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
        boolean gpu = request.device() == Device.GPU;
        var session = runtime.createSession(request.modelFile(),
                new SessionSpec(gpu, 0, false, request.intraOpThreads(), request.interOpThreads()));
        return new ResnetModel(session, request.device(), runtime,
                request.descriptor().parameters().integer(LoaderParameters.INPUT_SIZE, 224));
    }
}
