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
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
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
    /** Nanoseconds spent in session runs (tensor creation included), for the benchmark's session-alone figure. */
    final java.util.concurrent.atomic.LongAdder sessionNanos = new java.util.concurrent.atomic.LongAdder();

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
        float scale = Math.min((float) size / image.getWidth(), (float) size / image.getHeight());
        BufferedImage canvas = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
                    java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, Math.round(image.getWidth() * scale), Math.round(image.getHeight() * scale), null);
        } finally {
            g.dispose();
        }
        byte[] bgr = ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
        int plane = size * size;
        float[] chw = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            chw[i] = bgr[3 * i] & 0xff;
            chw[plane + i] = bgr[3 * i + 1] & 0xff;
            chw[2 * plane + i] = bgr[3 * i + 2] & 0xff;
        }
        List<Face> found = new ArrayList<>();
        long t0 = System.nanoTime();
        try (OnnxTensor tensor = OnnxTensor.createTensor(runtime.environment(), FloatBuffer.wrap(chw),
                new long[] {1, 3, size, size}); OrtSession.Result r = session.run(Map.of(input, tensor))) {
            sessionNanos.add(System.nanoTime() - t0);
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
                        marks.add(new Point((kps[10 * i + 2 * k] + col) * s / scale, (kps[10 * i + 2 * k + 1] + row) * s / scale));
                    }
                    found.add(new Face(new Box((cx - w / 2) / scale, (cy - h / 2) / scale, w / scale, h / scale), score, marks));
                }
            }
        }
        return suppress(found);
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
