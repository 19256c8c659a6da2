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
    private final boolean bgr;
    private final float mean;
    private final float std;
    private final float threshold;
    private final DecodedImages images;
    /** Nanoseconds spent in session runs (tensor creation included), for the benchmark's session-alone figure. */
    final java.util.concurrent.atomic.LongAdder sessionNanos = new java.util.concurrent.atomic.LongAdder();

    FaceEmbedModel(OrtSession session, Device device, InferenceRuntime runtime, String name, boolean bgr, float mean,
            float std, float threshold, DecodedImages images) throws OrtException {
        this.images = images;
        this.threshold = threshold;
        this.session = session;
        this.device = device;
        this.runtime = runtime;
        this.input = session.getInputNames().iterator().next();
        this.name = name;
        this.bgr = bgr;
        this.mean = mean;
        this.std = std;
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
                out.add(embedAligned(FaceAligner.align(decoded, f.landmarks())));
            } catch (OrtException e) {
                throw new IllegalStateException("face embedding failed: " + e.getMessage(), e);
            }
        }
        return out;
    }

    Embedding embedAligned(BufferedImage face112) throws OrtException {
        int plane = 112 * 112;
        float[] chw = new float[3 * plane];
        int[] px = face112.getRGB(0, 0, 112, 112, null, 0, 112);
        for (int i = 0; i < plane; i++) {
            int r = (px[i] >> 16) & 0xff;
            int g = (px[i] >> 8) & 0xff;
            int b = px[i] & 0xff;
            chw[i] = ((bgr ? b : r) - mean) / std;
            chw[plane + i] = (g - mean) / std;
            chw[2 * plane + i] = ((bgr ? r : b) - mean) / std;
        }
        long t0 = System.nanoTime();
        try (OnnxTensor t = OnnxTensor.createTensor(runtime.environment(), FloatBuffer.wrap(chw), new long[] {1, 3, 112, 112});
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
