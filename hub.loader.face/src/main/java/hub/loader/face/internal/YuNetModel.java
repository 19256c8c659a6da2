package hub.loader.face.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import hub.api.Device;
import hub.api.spi.LoadedModel;
import hub.api.task.Box;
import hub.api.task.Face;
import hub.api.task.FaceDetector;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import hub.api.task.Point;
import hub.runtime.InferenceRuntime;
import hub.imaging.BufferPool;
import hub.imaging.Placement;
import hub.imaging.Preprocessor;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * YuNet (OpenCV zoo, 2023mar): a 640 x 640 BGR 0..255 input, and per stride (8, 16, 32) class, objectness, box and
 * five-landmark outputs. The image is scaled into the top-left of the canvas, so coordinates map back by one factor.
 */
final class YuNetModel implements LoadedModel, FaceDetector {
    private static final int[] STRIDES = {8, 16, 32};
    private final OrtSession session;
    private final Device device;
    private final InferenceRuntime runtime;
    private final String input;
    private final int size;
    private final float threshold;
    private final float nms;
    private final DecodedImages images;
    private final Preprocessor pre;
    private final BufferPool buffers = new BufferPool(4);
    /** Nanoseconds spent in session runs (tensor creation included), for the benchmark's session-alone figure. */
    final java.util.concurrent.atomic.LongAdder sessionNanos = new java.util.concurrent.atomic.LongAdder();
    /** Nanoseconds spent preparing inputs, for the benchmark's pre-processing figure. */
    final java.util.concurrent.atomic.LongAdder preNanos = new java.util.concurrent.atomic.LongAdder();

    YuNetModel(OrtSession session, Device device, InferenceRuntime runtime, int size, float threshold, float nms,
            DecodedImages images) throws OrtException {
        this.images = images;
        this.session = session;
        this.device = device;
        this.runtime = runtime;
        this.input = session.getInputNames().iterator().next();
        this.size = size;
        this.threshold = threshold;
        this.nms = nms;
        // YuNet takes 0..255 BGR, the image scaled into the top-left corner of a black canvas
        this.pre = Preprocessor.builder(size, size).fit(Preprocessor.Fit.LETTERBOX_CORNER)
                .channels(Preprocessor.Channels.BGR).scale(1).build();
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
    public void warmUp() throws Exception {
        runtime.warmUp(session, size);
    }

    @Override
    public List<ImageResult<List<Face>>> detectFaces(List<ImageInput> images, float minScore) {
        float t = Float.isNaN(minScore) ? threshold : minScore;
        List<ImageResult<List<Face>>> out = new ArrayList<>();
        for (ImageInput image : images) {
            try {
                out.add(ImageResult.ok(image.name(), detect(this.images.decode(image), t)));
            } catch (IllegalArgumentException e) {
                out.add(ImageResult.failed(image.name(), e.getMessage()));
            } catch (OrtException e) {
                out.add(ImageResult.failed(image.name(), "inference failed: " + e.getMessage()));
            }
        }
        return out;
    }

    List<Face> detect(BufferedImage image, float t) throws OrtException {
        List<Face> found = new ArrayList<>();
        FloatBuffer chw = buffers.take(pre.size());
        try {
            long p0 = System.nanoTime();
            Placement placed = pre.write(image, chw, 0);
            float sx = placed.scaleX();
            float sy = placed.scaleY();
            long t0 = System.nanoTime();
            preNanos.add(t0 - p0);
            try (OnnxTensor tensor = OnnxTensor.createTensor(runtime.environment(), chw, pre.shape(1));
                    OrtSession.Result r = session.run(Map.of(input, tensor))) {
                sessionNanos.add(System.nanoTime() - t0);
                decode(r, t, sx, sy, found);
            }
        } finally {
            buffers.give(chw);
        }
        return suppress(found);
    }

    /** Faces above the threshold from each stride's outputs, in the image's pixels. */
    private void decode(OrtSession.Result r, float t, float sx, float sy, List<Face> found) throws OrtException {
        for (int s : STRIDES) {
            float[] cls = flat(r, "cls_" + s);
            float[] obj = flat(r, "obj_" + s);
            float[] box = flat(r, "bbox_" + s);
            float[] kps = flat(r, "kps_" + s);
            int cols = size / s;
            for (int i = 0; i < cls.length; i++) {
                float score = (float) Math.sqrt(clamp(cls[i]) * clamp(obj[i]));
                if (score < t) {
                    continue;
                }
                int row = i / cols;
                int col = i % cols;
                float cx = (col + box[4 * i]) * s;
                float cy = (row + box[4 * i + 1]) * s;
                float w = (float) Math.exp(box[4 * i + 2]) * s;
                float h = (float) Math.exp(box[4 * i + 3]) * s;
                List<Point> marks = new ArrayList<>(5);
                for (int k = 0; k < 5; k++) {
                    marks.add(new Point((kps[10 * i + 2 * k] + col) * s / sx, (kps[10 * i + 2 * k + 1] + row) * s / sy));
                }
                found.add(new Face(new Box((cx - w / 2) / sx, (cy - h / 2) / sy, w / sx, h / sy), score, marks));
            }
        }
    }

    private List<Face> suppress(List<Face> faces) {
        List<Face> sorted = new ArrayList<>(faces);
        sorted.sort(Comparator.comparingDouble(Face::score).reversed());
        List<Face> kept = new ArrayList<>();
        for (Face f : sorted) {
            if (kept.stream().noneMatch(k -> k.box().iou(f.box()) > nms)) {
                kept.add(f);
            }
        }
        return kept;
    }

    private static float clamp(float v) {
        return Math.max(0, Math.min(1, v));
    }

    private static float[] flat(OrtSession.Result r, String name) throws OrtException {
        FloatBuffer b = ((OnnxTensor) r.get(name).orElseThrow(() -> new OrtException("YuNet output " + name + " missing")))
                .getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    @Override
    public synchronized void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the face detection session failed", e);
        }
    }
}
