package hub.loader.yolo.internal;

import hub.imaging.BufferPool;
import hub.imaging.ImageDecoder;
import hub.imaging.Placement;
import hub.imaging.Preprocessor;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import hub.api.Device;
import hub.api.spi.LoadedModel;
import hub.api.task.Box;
import hub.api.task.Detection;
import hub.api.task.DetectionOptions;
import hub.api.task.Detector;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import hub.runtime.InferenceRuntime;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An open detection model: YOLOv8-style ({@code [1, 4+C, N]}), YOLOv5-style ({@code [1, N, 5+C]}) or SSD
 * (boxes, classes, scores, count). Letterbox in, class-aware NMS out, boxes in original pixels.
 */
final class YoloModel implements LoadedModel, Detector {
    /** Output layouts this loader decodes. */
    enum Layout { YOLOV8, YOLOV5, SSD }

    private final OrtSession session;
    private final Device device;
    private final InferenceRuntime runtime;
    private final Layout layout;
    private final String input;
    private final int size;
    private final List<String> labels;
    private final float threshold;
    private final float nms;
    private final int batch;
    private final Preprocessor letterbox;
    private final BufferPool buffers = new BufferPool(4);
    private final hub.api.task.TensorModel tensors;

    YoloModel(OrtSession session, Device device, InferenceRuntime runtime, Layout layout, int size, List<String> labels,
            float threshold, float nms, int batch) throws OrtException {
        this.session = session;
        this.device = device;
        this.runtime = runtime;
        this.layout = layout;
        this.input = session.getInputNames().iterator().next();
        this.size = size;
        this.labels = List.copyOf(labels);
        this.threshold = threshold;
        this.nms = nms;
        this.batch = runtime.batchLimit(session, batch);
        this.letterbox = Preprocessor.builder(size, size).fit(Preprocessor.Fit.LETTERBOX).padPixel(114).build();
        this.tensors = runtime.tensors(session);
    }

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

    int batch() {
        return batch;
    }

    Detector require() {
        return this;
    }

    List<String> labels() {
        return labels;
    }

    Layout layout() {
        return layout;
    }

    @Override
    public List<ImageResult<List<Detection>>> detect(List<ImageInput> images, DetectionOptions options) {
        DetectionOptions o = options == null ? DetectionOptions.DEFAULTS : options;
        float t = Float.isNaN(o.threshold()) ? threshold : o.threshold();
        float iou = Float.isNaN(o.nmsThreshold()) ? nms : o.nmsThreshold();
        int max = o.maxDetections() > 0 ? o.maxDetections() : 300;
        List<ImageResult<List<Detection>>> out = new ArrayList<>();
        List<Integer> pending = new ArrayList<>();
        List<BufferedImage> decoded = new ArrayList<>();
        List<float[]> scales = new ArrayList<>();
        for (ImageInput image : images) {
            try {
                // no larger than the letterbox needs: a large photo is read subsampled, its boxes scaled back
                hub.imaging.Decoded decodedImage = ImageDecoder.decodeScaled(image, size, size);
                BufferedImage img = decodedImage.image();
                float sx = decodedImage.scaleX();
                float sy = decodedImage.scaleY();
                if (layout == Layout.SSD || batch == 1) {
                    out.add(ImageResult.ok(image.name(), scaled(detect(img, t, iou, max), sx, sy)));
                    continue;
                }
                pending.add(out.size());
                scales.add(new float[] {sx, sy});
                decoded.add(img);
                out.add(null);
                if (decoded.size() == batch) {
                    runBatch(images, out, pending, decoded, scales, t, iou, max);
                }
            } catch (IllegalArgumentException e) {
                out.add(ImageResult.failed(image.name(), e.getMessage()));
            } catch (OrtException e) {
                out.add(ImageResult.failed(image.name(), "inference failed: " + e.getMessage()));
            }
        }
        runBatch(images, out, pending, decoded, scales, t, iou, max);
        return out;
    }

    /** One session run over the decoded images waiting in {@code decoded}; results go to their slots in {@code out}. */
    private void runBatch(List<ImageInput> images, List<ImageResult<List<Detection>>> out, List<Integer> slots,
            List<BufferedImage> decoded, List<float[]> scales, float t, float iou, int max) {
        if (decoded.isEmpty()) {
            return;
        }
        try {
            List<List<Detection>> found = yolo(decoded, t, iou, max);
            for (int i = 0; i < found.size(); i++) {
                out.set(slots.get(i), ImageResult.ok(images.get(slots.get(i)).name(),
                        scaled(found.get(i), scales.get(i)[0], scales.get(i)[1])));
            }
        } catch (OrtException e) {
            for (int slot : slots) {
                out.set(slot, ImageResult.failed(images.get(slot).name(), "inference failed: " + e.getMessage()));
            }
        }
        slots.clear();
        scales.clear();
        decoded.clear();
    }

    /** Boxes found on a subsampled image, in the original image's pixels. */
    private static List<Detection> scaled(List<Detection> found, float sx, float sy) {
        if (sx == 1f && sy == 1f) {
            return found;
        }
        return found.stream().map(d -> new Detection(d.label(), d.classId(), d.score(), new hub.api.task.Box(
                d.box().x() * sx, d.box().y() * sy, d.box().width() * sx, d.box().height() * sy))).toList();
    }

    List<Detection> detect(BufferedImage image, float t, float iou, int max) throws OrtException {
        return layout == Layout.SSD ? ssd(image, t, iou, max) : yolo(List.of(image), t, iou, max).get(0);
    }

    /** The letterboxed, normalised input for an image (the preprocessing stage), in a direct buffer. */
    FloatBuffer preprocess(BufferedImage image) {
        return preprocess(image, Preprocessor.allocate(letterbox.size()));
    }

    /** The preprocessing stage into a given buffer (the benchmark reuses one, as the pipeline does). */
    FloatBuffer preprocess(BufferedImage image, FloatBuffer into) {
        letterbox.write(image, into, 0);
        return into;
    }

    /** The session run alone on a prepared input, returning the raw output (for benchmarks). */
    float[] run(FloatBuffer chw) throws OrtException {
        try (OnnxTensor tensor = OnnxTensor.createTensor(runtime.environment(), chw, letterbox.shape(1));
                OrtSession.Result r = session.run(Map.of(input, tensor))) {
            FloatBuffer f = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] out = new float[f.remaining()];
            f.get(out);
            return out;
        }
    }

    /** Decoding and NMS of a raw YOLOv8 output (for benchmarks). */
    List<Detection> postprocess(float[] raw, long[] shape, int width, int height) {
        return Nms.apply(v8(FloatBuffer.wrap(raw), shape, threshold, letterbox.place(width, height)), nms, 300);
    }

    /**
     * One session run over a batch: each image letterboxed straight into a pooled direct buffer (which ONNX Runtime
     * reads in place), then per image the candidates above the threshold, mapped back to its pixels, and NMS.
     */
    private List<List<Detection>> yolo(List<BufferedImage> decoded, float t, float iou, int max) throws OrtException {
        int n = decoded.size();
        FloatBuffer in = buffers.take(n * letterbox.size());
        try {
            Placement[] placed = new Placement[n];
            for (int i = 0; i < n; i++) {
                placed[i] = letterbox.write(decoded.get(i), in, i * letterbox.size());
            }
            try (OnnxTensor tensor = OnnxTensor.createTensor(runtime.environment(), in, letterbox.shape(n));
                    OrtSession.Result r = session.run(Map.of(input, tensor))) {
                OnnxTensor output = (OnnxTensor) r.get(0);
                long[] shape = output.getInfo().getShape();
                FloatBuffer all = output.getFloatBuffer();
                int per = all.remaining() / n;
                List<List<Detection>> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    FloatBuffer f = n == 1 ? all : all.duplicate().position(i * per).limit((i + 1) * per).slice();
                    List<Detection> candidates = layout == Layout.YOLOV8 ? v8(f, shape, t, placed[i])
                            : v5(f, shape, t, placed[i]);
                    out.add(Nms.apply(candidates, iou, max));
                }
                return out;
            }
        } finally {
            buffers.give(in);
        }
    }

    /** [1, 4+C, N]: per anchor column cx, cy, w, h, then one score per class. */
    private List<Detection> v8(FloatBuffer f, long[] shape, float t, Placement lb) {
        int rows = (int) shape[1];
        int n = (int) shape[2];
        int classes = rows - 4;
        List<Detection> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int best = -1;
            float score = t;
            for (int c = 0; c < classes; c++) {
                float s = f.get((4 + c) * n + i);
                if (s >= score) {
                    score = s;
                    best = c;
                }
            }
            if (best >= 0) {
                out.add(detection(best, score, f.get(i), f.get(n + i), f.get(2 * n + i), f.get(3 * n + i), lb));
            }
        }
        return out;
    }

    /** [1, N, 5+C]: per row cx, cy, w, h, objectness, then class probabilities. */
    private List<Detection> v5(FloatBuffer f, long[] shape, float t, Placement lb) {
        int n = (int) shape[1];
        int width = (int) shape[2];
        List<Detection> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int base = i * width;
            float obj = f.get(base + 4);
            if (obj < t) {
                continue;
            }
            int best = -1;
            float score = t;
            for (int c = 0; c < width - 5; c++) {
                float s = obj * f.get(base + 5 + c);
                if (s >= score) {
                    score = s;
                    best = c;
                }
            }
            if (best >= 0) {
                out.add(detection(best, score, f.get(base), f.get(base + 1), f.get(base + 2), f.get(base + 3), lb));
            }
        }
        return out;
    }

    private Detection detection(int cls, float score, float cx, float cy, float w, float h, Placement lb) {
        float x1 = lb.sourceX(cx - w / 2);
        float y1 = lb.sourceY(cy - h / 2);
        float x2 = lb.sourceX(cx + w / 2);
        float y2 = lb.sourceY(cy + h / 2);
        return new Detection(label(cls), cls, score, new Box(x1, y1, x2 - x1, y2 - y1));
    }

    private String label(int cls) {
        return cls >= 0 && cls < labels.size() ? labels.get(cls) : "class " + cls;
    }

    /** SSD (TF object detection export): uint8 NHWC in; normalised ymin, xmin, ymax, xmax boxes out. */
    private List<Detection> ssd(BufferedImage image, float t, float iou, int max) throws OrtException {
        int w = image.getWidth();
        int h = image.getHeight();
        // the image as it is, RGB bytes, NHWC: the model resizes and normalises inside
        Preprocessor raw = Preprocessor.builder(w, h).layout(Preprocessor.Layout.NHWC).scale(1).build();
        ByteBuffer nhwc = ByteBuffer.allocateDirect(raw.size());
        raw.writeBytes(image, nhwc, 0);
        try (OnnxTensor tensor = OnnxTensor.createTensor(runtime.environment(), nhwc, raw.shape(1),
                ai.onnxruntime.OnnxJavaType.UINT8); OrtSession.Result r = session.run(Map.of(input, tensor))) {
            float[][] boxes = ((float[][][]) value(r, "boxes"))[0];
            float[] classes = ((float[][]) value(r, "classes"))[0];
            float[] scores = ((float[][]) value(r, "scores"))[0];
            Object count = value(r, "num");
            int n = count instanceof float[] c ? (int) c[0] : scores.length;
            List<Detection> out = new ArrayList<>();
            for (int i = 0; i < Math.min(n, scores.length); i++) {
                if (scores[i] < t) {
                    continue;
                }
                float[] b = boxes[i];
                int cls = (int) classes[i];
                out.add(new Detection(label(cls), cls, scores[i], new Box(b[1] * w, b[0] * h, (b[3] - b[1]) * w,
                        (b[2] - b[0]) * h)));
            }
            return Nms.apply(out, iou, max);
        }
    }

    private static Object value(OrtSession.Result r, String part) throws OrtException {
        for (Map.Entry<String, OnnxValue> e : r) {
            if (e.getKey().contains(part)) {
                return e.getValue().getValue();
            }
        }
        throw new OrtException("SSD output with '" + part + "' in its name not found");
    }

    static Layout infer(OrtSession session) throws OrtException {
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (outputs.size() >= 3 && outputs.keySet().stream().anyMatch(n -> n.contains("boxes"))) {
            return Layout.SSD;
        }
        NodeInfo first = outputs.values().iterator().next();
        if (first.getInfo() instanceof TensorInfo t && t.getShape().length == 3) {
            long[] s = t.getShape();
            return s[1] > 0 && s[2] > 0 && s[1] > s[2] ? Layout.YOLOV5 : Layout.YOLOV8;
        }
        throw new OrtException("cannot tell the output layout of this detection model; set outputFormat");
    }

    @Override
    public synchronized void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the detection session failed", e);
        }
    }
}
