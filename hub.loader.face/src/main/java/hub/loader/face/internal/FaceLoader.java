package hub.loader.face.internal;

import ai.onnxruntime.OrtSession;
import hub.api.LoaderParameters;
import hub.api.spi.LoadRequest;
import hub.api.spi.LoadedModel;
import hub.api.spi.ModelFamily;
import hub.api.spi.ModelLoader;
import hub.runtime.InferenceRuntime;
import java.util.Locale;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Loader for the {@code face} family: a YuNet-style detector (cls/obj/bbox/kps outputs per stride) or a recognition
 * model (an aligned 112 x 112 face in, one embedding out), told apart by their outputs.
 */
@Component(service = ModelLoader.class)
@ModelFamily("face")
public class FaceLoader implements ModelLoader {
    private final InferenceRuntime runtime;
    /** Shared by the models this loader opens: a detector and an embedder see the same inputs in turn. */
    private final DecodedImages images = new DecodedImages();

    /**
     * @param runtime the shared ONNX Runtime
     */
    @Activate
    public FaceLoader(@Reference InferenceRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public LoadedModel open(LoadRequest request) throws Exception {
        OrtSession session = runtime.open(request);
        try {
            LoaderParameters p = request.descriptor().parameters();
            if (session.getOutputNames().stream().anyMatch(n -> n.startsWith("cls_"))) {
                return new YuNetModel(session, request.device(), runtime, p.integer(LoaderParameters.INPUT_SIZE, 640),
                        (float) p.number(LoaderParameters.THRESHOLD, 0.6), (float) p.number(LoaderParameters.NMS_THRESHOLD, 0.3),
                        images);
            }
            if (session.getOutputNames().size() == 1) {
                boolean bgr = p.string(LoaderParameters.CHANNEL_ORDER).map(s -> s.toUpperCase(Locale.ROOT).equals("BGR"))
                        .orElse(false);
                return new FaceEmbedModel(session, request.device(), runtime, request.descriptor().ref().toString(), bgr,
                        (float) p.number(LoaderParameters.MEAN, 127.5), (float) p.number(LoaderParameters.STD, 127.5),
                        (float) p.number(LoaderParameters.THRESHOLD, 0.4), images);
            }
            throw new IllegalArgumentException("not a face model this loader knows: outputs " + session.getOutputNames());
        } catch (Exception e) {
            session.close();
            throw e;
        }
    }
}
