package hub.loader.ocr.internal;

import hub.imaging.BufferPool;
import hub.imaging.ImageDecoder;
import hub.imaging.Preprocessor;
import hub.imaging.Preprocessor.Channels;
import hub.imaging.Preprocessor.Fit;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import hub.api.Device;
import hub.api.spi.LoadedModel;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import hub.api.task.Point;
import hub.api.task.TextLine;
import hub.api.task.TextReader;
import hub.runtime.InferenceRuntime;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * PaddleOCR (PP-OCRv3/v4): DB text detection (binarise, connected regions, box score, unclip), the 0/180 degree
 * orientation classifier, and CTC recognition with the keys list; lines come back in reading order.
 */
final class PaddleOcrModel implements LoadedModel, TextReader {
    /**
     * PaddleOCR normalises OpenCV's BGR pixels: the detector with ImageNet's mean and std (listed in its B, G, R
     * order), the classifier and recogniser to -1..1; text lines are fitted to the height and padded with 0 on the
     * right.
     */
    private static final Preprocessor DETECT = Preprocessor.builder(32, 32).channels(Channels.BGR)
            .mean(0.485f, 0.456f, 0.406f).std(0.229f, 0.224f, 0.225f).build();
    private static final Preprocessor ORIENT = Preprocessor.builder(192, 48).fit(Fit.HEIGHT).channels(Channels.BGR)
            .mean(0.5f).std(0.5f).padValue(0).build();

    /** DB post-processing settings. */
    record DbSettings(float binarize, float boxThreshold, float unclip, int minSize, int limitSide) {
    }

    private final OrtSession det;
    private final OrtSession rec;
    private final OrtSession cls;
    private final Device device;
    private final InferenceRuntime runtime;
    private final List<String> keys;
    private final int recHeight;
    private final DbSettings db;
    private final int recBatch;
    private final int clsBatch;
    private final Preprocessor line;
    private final BufferPool buffers = new BufferPool(6);
    /** Nanoseconds spent in session runs (tensor creation included), for the benchmark's session-alone figure. */
    final java.util.concurrent.atomic.LongAdder sessionNanos = new java.util.concurrent.atomic.LongAdder();
    /** Nanoseconds spent preparing inputs, for the benchmark's pre-processing figure. */
    final java.util.concurrent.atomic.LongAdder preNanos = new java.util.concurrent.atomic.LongAdder();

    PaddleOcrModel(OrtSession det, OrtSession rec, OrtSession cls, Device device, InferenceRuntime runtime,
            List<String> keys, int recHeight, DbSettings db, int batch) throws OrtException {
        this.det = det;
        this.rec = rec;
        this.cls = cls;
        this.device = device;
        this.runtime = runtime;
        this.keys = List.copyOf(keys);
        this.recHeight = recHeight;
        this.db = db;
        this.recBatch = runtime.batchLimit(rec, batch);
        this.clsBatch = cls == null ? 1 : runtime.batchLimit(cls, batch);
        this.line = ORIENT.withSize(recHeight, recHeight);
    }

    @Override
    public Device device() {
        return device;
    }


    @Override
    public void warmUp() throws Exception {
        BufferedImage img = new BufferedImage(320, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 320, 64);
        g.setColor(Color.BLACK);
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 28));
        g.drawString("warm up 123", 10, 42);
        g.dispose();
        read(img); // a real input: detection, orientation and recognition all run once
    }

    @Override
    public List<ImageResult<List<TextLine>>> read(List<ImageInput> images) {
        List<ImageResult<List<TextLine>>> out = new ArrayList<>();
        for (ImageInput image : images) {
            try {
                out.add(ImageResult.ok(image.name(), read(ImageDecoder.decode(image))));
            } catch (IllegalArgumentException e) {
                out.add(ImageResult.failed(image.name(), e.getMessage()));
            } catch (OrtException e) {
                out.add(ImageResult.failed(image.name(), "inference failed: " + e.getMessage()));
            }
        }
        return out;
    }

    List<TextLine> read(BufferedImage image) throws OrtException {
        List<int[]> boxes = detect(image);
        List<Rectangle> crops = new ArrayList<>();
        for (int[] b : boxes) {
            crops.add(new Rectangle(b[0], b[1], b[2] - b[0], b[3] - b[1]));
        }
        boolean[] flip = cls != null ? upsideDown(image, crops) : new boolean[crops.size()];
        List<TextLine> lines = new ArrayList<>();
        for (TextLine line : recognise(image, crops, flip, boxes)) {
            if (!line.text().isBlank()) {
                lines.add(line);
            }
        }
        lines.sort(readingOrder());
        return mergeLines(lines);
    }

    /**
     * DB finds words far apart on one line as separate regions; pieces that overlap vertically by more than half and
     * are less than a line height apart become one line.
     */
    static List<TextLine> mergeLines(List<TextLine> sorted) {
        List<TextLine> out = new ArrayList<>();
        for (TextLine l : sorted) {
            if (!out.isEmpty()) {
                TextLine prev = out.get(out.size() - 1);
                float py0 = prev.polygon().get(0).y();
                float py1 = prev.polygon().get(2).y();
                float ly0 = l.polygon().get(0).y();
                float ly1 = l.polygon().get(2).y();
                float overlap = Math.min(py1, ly1) - Math.max(py0, ly0);
                float height = Math.min(py1 - py0, ly1 - ly0);
                float gap = l.polygon().get(0).x() - prev.polygon().get(1).x();
                if (overlap > height / 2 && gap >= -height / 2 && gap < height) {
                    float x0 = Math.min(prev.polygon().get(0).x(), l.polygon().get(0).x());
                    float x1 = Math.max(prev.polygon().get(1).x(), l.polygon().get(1).x());
                    float y0 = Math.min(py0, ly0);
                    float y1 = Math.max(py1, ly1);
                    int a = prev.text().length();
                    int b = l.text().length();
                    out.set(out.size() - 1, new TextLine(prev.text() + " " + l.text(),
                            (prev.confidence() * a + l.confidence() * b) / Math.max(1, a + b),
                            List.of(new Point(x0, y0), new Point(x1, y0), new Point(x1, y1), new Point(x0, y1))));
                    continue;
                }
            }
            out.add(l);
        }
        return out;
    }

    private static Comparator<TextLine> readingOrder() {
        return (a, b) -> {
            float ay = a.polygon().get(0).y();
            float by = b.polygon().get(0).y();
            float h = Math.min(a.polygon().get(3).y() - ay, b.polygon().get(3).y() - by);
            if (Math.abs(ay - by) > h / 2) {
                return Float.compare(ay, by);
            }
            return Float.compare(a.polygon().get(0).x(), b.polygon().get(0).x());
        };
    }

    /** DB detection: boxes {x1, y1, x2, y2} in image pixels. */
    private List<int[]> detect(BufferedImage image) throws OrtException {
        int w = image.getWidth();
        int h = image.getHeight();
        float ratio = Math.max(w, h) > db.limitSide() ? (float) db.limitSide() / Math.max(w, h) : 1f;
        int rw = Math.max(32, Math.round(w * ratio / 32) * 32);
        int rh = Math.max(32, Math.round(h * ratio / 32) * 32);
        Preprocessor pre = DETECT.withSize(rw, rh);
        FloatBuffer in = buffers.take(pre.size());
        float[] prob;
        try {
            long p0 = System.nanoTime();
            pre.write(image, in, 0);
            long t0 = System.nanoTime();
            preNanos.add(t0 - p0);
            try (OnnxTensor t = OnnxTensor.createTensor(runtime.environment(), in, pre.shape(1));
                    OrtSession.Result r = det.run(Map.of(det.getInputNames().iterator().next(), t))) {
                sessionNanos.add(System.nanoTime() - t0);
                FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                prob = new float[fb.remaining()];
                fb.get(prob);
            }
        } finally {
            buffers.give(in);
        }
        boolean[] mask = new boolean[rw * rh];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = prob[i] > db.binarize();
        }
        float sx = (float) w / rw;
        float sy = (float) h / rh;
        List<int[]> boxes = new ArrayList<>();
        int[] stack = new int[rw * rh];
        boolean[] seen = new boolean[rw * rh];
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || seen[start]) {
                continue;
            }
            int top = 0;
            stack[top++] = start;
            seen[start] = true;
            int x0 = rw;
            int y0 = rh;
            int x1 = 0;
            int y1 = 0;
            double sum = 0;
            int n = 0;
            while (top > 0) {
                int p = stack[--top];
                int px = p % rw;
                int py = p / rw;
                x0 = Math.min(x0, px);
                x1 = Math.max(x1, px);
                y0 = Math.min(y0, py);
                y1 = Math.max(y1, py);
                sum += prob[p];
                n++;
                for (int d = 0; d < 4; d++) {
                    int nx = px + (d == 0 ? 1 : d == 1 ? -1 : 0);
                    int ny = py + (d == 2 ? 1 : d == 3 ? -1 : 0);
                    if (nx >= 0 && ny >= 0 && nx < rw && ny < rh) {
                        int q = ny * rw + nx;
                        if (mask[q] && !seen[q]) {
                            seen[q] = true;
                            stack[top++] = q;
                        }
                    }
                }
            }
            int bw = x1 - x0 + 1;
            int bh = y1 - y0 + 1;
            if (Math.min(bw, bh) < db.minSize() || sum / n < db.boxThreshold()) {
                continue;
            }
            // unclip: DB shrinks text regions during training; grow the box back by area * ratio / perimeter
            double offset = (double) bw * bh * db.unclip() / (2.0 * (bw + bh));
            int ax0 = clamp((int) Math.floor((x0 - offset) * sx), w);
            int ay0 = clamp((int) Math.floor((y0 - offset) * sy), h);
            int ax1 = clamp((int) Math.ceil((x1 + 1 + offset) * sx), w);
            int ay1 = clamp((int) Math.ceil((y1 + 1 + offset) * sy), h);
            if (ax1 - ax0 >= 2 && ay1 - ay0 >= 2) {
                boxes.add(new int[] {ax0, ay0, ax1, ay1});
            }
        }
        return boxes;
    }

    /** The orientation classifier over all crops, {@code clsBatch} per run: which ones are upside down. */
    private boolean[] upsideDown(BufferedImage image, List<Rectangle> crops) throws OrtException {
        boolean[] out = new boolean[crops.size()];
        for (int from = 0; from < crops.size(); from += clsBatch) {
            int n = Math.min(clsBatch, crops.size() - from);
            FloatBuffer in = buffers.take(n * ORIENT.size());
            try {
                long p0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    ORIENT.write(image, crops.get(from + i), false, in, i * ORIENT.size());
                }
                long t0 = System.nanoTime();
                preNanos.add(t0 - p0);
                try (OnnxTensor t = OnnxTensor.createTensor(runtime.environment(), in, ORIENT.shape(n));
                        OrtSession.Result r = cls.run(Map.of(cls.getInputNames().iterator().next(), t))) {
                    sessionNanos.add(System.nanoTime() - t0);
                    float[][] p = (float[][]) r.get(0).getValue();
                    for (int i = 0; i < n; i++) {
                        out[from + i] = p[i].length > 1 && p[i][1] > p[i][0] && p[i][1] > 0.9f;
                    }
                }
            } finally {
                buffers.give(in);
            }
        }
        return out;
    }

    /**
     * CTC recognition, {@code recBatch} crops per run: crops sorted by aspect ratio so that a batch pads little, each
     * resized to the model's height and padded on the right to the widest of its batch (as PaddleOCR does).
     */
    private List<TextLine> recognise(BufferedImage image, List<Rectangle> crops, boolean[] flip, List<int[]> boxes)
            throws OrtException {
        Integer[] order = new Integer[crops.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble(i -> (double) crops.get(i).width / crops.get(i).height));
        TextLine[] out = new TextLine[crops.size()];
        for (int from = 0; from < order.length; from += recBatch) {
            int n = Math.min(recBatch, order.length - from);
            int max = recHeight;
            for (int i = 0; i < n; i++) {
                Rectangle crop = crops.get(order[from + i]);
                max = Math.max(max, (int) Math.ceil((double) recHeight * crop.width / crop.height));
            }
            // the batch's canvas is as wide as its widest line; narrower lines are padded on the right
            Preprocessor pre = line.withSize(max, recHeight);
            FloatBuffer in = buffers.take(n * pre.size());
            try {
                long p0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    int k = order[from + i];
                    pre.write(image, crops.get(k), flip[k], in, i * pre.size());
                }
                long t0 = System.nanoTime();
                preNanos.add(t0 - p0);
                try (OnnxTensor t = OnnxTensor.createTensor(runtime.environment(), in, pre.shape(n));
                        OrtSession.Result r = rec.run(Map.of(rec.getInputNames().iterator().next(), t))) {
                    sessionNanos.add(System.nanoTime() - t0);
                    float[][][] steps = (float[][][]) r.get(0).getValue();
                    for (int i = 0; i < n; i++) {
                        out[order[from + i]] = ctc(steps[i], boxes.get(order[from + i]));
                    }
                }
            } finally {
                buffers.give(in);
            }
        }
        return List.of(out);
    }

    /** Greedy CTC decoding of one line's steps: best class per step, repeats and blanks (class 0) dropped. */
    private TextLine ctc(float[][] steps, int[] b) {
        StringBuilder text = new StringBuilder();
        double confidence = 0;
        int kept = 0;
        int previous = 0;
        for (float[] step : steps) {
            int best = 0;
            for (int c = 1; c < step.length; c++) {
                if (step[c] > step[best]) {
                    best = c;
                }
            }
            if (best != 0 && best != previous) {
                text.append(best - 1 < keys.size() ? keys.get(best - 1) : " ");
                confidence += step[best];
                kept++;
            }
            previous = best;
        }
        List<Point> polygon = List.of(new Point(b[0], b[1]), new Point(b[2], b[1]), new Point(b[2], b[3]),
                new Point(b[0], b[3]));
        return new TextLine(text.toString().trim(), kept == 0 ? 0 : (float) (confidence / kept), polygon);
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    @Override
    public synchronized void close() {
        for (OrtSession s : new OrtSession[] {det, rec, cls}) {
            if (s != null) {
                try {
                    s.close();
                } catch (OrtException e) {
                    // keep closing the others
                }
            }
        }
    }
}
