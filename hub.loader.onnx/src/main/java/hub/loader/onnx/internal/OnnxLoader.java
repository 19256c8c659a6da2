package hub.loader.onnx.internal;

import ai.onnxruntime.OrtSession;
import hub.api.Device;
import hub.api.spi.LoadRequest;
import hub.api.spi.LoadedModel;
import hub.api.spi.ModelFamily;
import hub.api.spi.ModelLoader;
import hub.api.task.TensorModel;
import hub.runtime.InferenceRuntime;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Loader for the {@code onnx} family: any ONNX graph, served as raw tensors only (no image task): what a client of
 * the Open Inference Protocol sends is what the graph gets. Sessions are opened by the shared runtime, from its
 * configuration, on the request's device.
 */
@Component(service = ModelLoader.class)
@ModelFamily("onnx")
public class OnnxLoader implements ModelLoader {
    private final InferenceRuntime runtime;

    /** @param runtime the shared ONNX Runtime */
    @Activate
    public OnnxLoader(@Reference InferenceRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public LoadedModel open(LoadRequest request) throws Exception {
        OrtSession session = runtime.open(request);
        try {
            return new Graph(session, request.device(), runtime.tensors(session));
        } catch (Exception e) {
            session.close();
            throw e;
        }
    }

    /** A graph and its tensors. */
    private static final class Graph implements LoadedModel {
        private final OrtSession session;
        private final Device device;
        private final TensorModel tensors;

        Graph(OrtSession session, Device device, TensorModel tensors) {
            this.session = session;
            this.device = device;
            this.tensors = tensors;
        }

        @Override
        public Device device() {
            return device;
        }

        @Override
        public <T> Optional<T> task(Class<T> type) {
            return type == TensorModel.class ? Optional.of(type.cast(tensors)) : Optional.empty();
        }

        @Override
        public void close() {
            try {
                session.close();
            } catch (ai.onnxruntime.OrtException e) {
                throw new IllegalStateException("closing the session failed", e);
            }
        }
    }
}
