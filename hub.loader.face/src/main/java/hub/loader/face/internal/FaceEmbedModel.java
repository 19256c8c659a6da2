package hub.loader.face.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import hub.api.Device;
import hub.api.spi.LoadedModel;
import hub.api.task.Embedding;
import hub.api.task.Face;
import hub.api.task.FaceEmbedder;
import hub.api.task.ImageInput;
import hub.imaging.Preprocessor;
import hub.runtime.InferenceRuntime;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A face recognition model (112 x 112 aligned face in, one vector out); vectors are L2-normalised. */
final class FaceEmbedModel implements LoadedModel, FaceEmbedder {
    private final OrtSession session;
    private final Device device;
    private final InferenceRuntime runtime;
    private final String input;
    private final String name;
    private final Preprocessor pre;
    private final float threshold;
    private final DecodedImages images;
    /** Nanoseconds spent in session runs (tensor creation included), for the benchmark's session-alone figure. */
    final java.util.concurrent.atomic.LongAdder sessionNanos = new java.util.concurrent.atomic.LongAdder();
    /** Nanoseconds spent preparing inputs, for the benchmark's pre-processing figure. */
    final java.util.concurrent.atomic.LongAdder preNanos = new java.util.concurrent.atomic.LongAdder();

    FaceEmbedModel(OrtSession session, Device device, InferenceRuntime runtime, String name, boolean bgr, float mean,
            float std, float threshold, DecodedImages images) throws OrtException {
        this.images = images;
        this.threshold = threshold;
        this.session = session;
        this.device = device;
        this.runtime = runtime;
        this.input = session.getInputNames().iterator().next();
        this.name = name;
        // aligned faces: 112 x 112, 0..255 less the mean over the std; outside the image is black, as OpenCV's warp
        this.pre = Preprocessor.builder(112, 112).channels(bgr ? Preprocessor.Channels.BGR : Preprocessor.Channels.RGB)
                .scale(1).mean(mean).std(std).padPixel(0).build();
        this.tensors = runtime.tensors(session);
    }

    private final hub.api.task.TensorModel tensors;

    @Override
    public <T> java.util.Optional<T> task(Class<T> type) {
        return type == hub.api.task.TensorModel.class ? java.util.Optional.of(type.cast(tensors))
                : LoadedModel.super.task(type);
    }

    @Override
    public Device device() {
        return device;
    }


    @Override
    public float defaultThreshold() {
        return threshold;
    }

    @Override
    public void warmUp() throws Exception {
        runtime.warmUp(session, 112);
    }

    @Override
    public List<Embedding> embedFaces(ImageInput image, List<Face> faces) {
        BufferedImage decoded = images.decode(image);
        List<Embedding> out = new ArrayList<>();
        for (Face f : faces) {
            try {
                out.add(embed(decoded, f));
            } catch (OrtException e) {
                throw new IllegalStateException("face embedding failed: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The face aligned to the ArcFace template from its landmarks, warped straight into the input tensor, embedded. */
    Embedding embed(BufferedImage image, Face face) throws OrtException {
        long p0 = System.nanoTime();
        FloatBuffer chw = Preprocessor.allocate(pre.size());
        pre.warp(image, FaceAligner.similarity(face.landmarks()), chw, 0);
        long t0 = System.nanoTime();
        preNanos.add(t0 - p0);
        try (OnnxTensor t = OnnxTensor.createTensor(runtime.environment(), chw, pre.shape(1));
                OrtSession.Result r = session.run(Map.of(input, t))) {
            sessionNanos.add(System.nanoTime() - t0);
            float[] v = ((float[][]) r.get(0).getValue())[0];
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            float inv = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
            return new Embedding(name, v);
        }
    }

    @Override
    public synchronized void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the face embedding session failed", e);
        }
    }
}
