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
    private static final Preprocessor DETECT = Preprocessor.builder(32, 32).fit(Fit.LETTERBOX_CORNER)
            .channels(Channels.BGR).mean(0.485f, 0.456f, 0.406f).std(0.229f, 0.224f, 0.225f).padValue(0).build();
    private static final Preprocessor ORIENT = Preprocessor.builder(192, 48).fit(Fit.HEIGHT).channels(Channels.BGR)
            .mean(0.5f).std(0.5f).padValue(0).build();

    /**
     * DB post-processing settings, and the line confidence below which a line is dropped.
     *
     * @param binarize probability above which a map pixel is text
     * @param boxThreshold mean probability a region needs
     * @param unclip how far a box is grown back (area x ratio / perimeter)
     * @param minSize the shortest box side kept, in map pixels
     * @param limitSide the detector input's longest side
     * @param dropScore the recogniser's confidence a line needs
     */
    record DbSettings(float binarize, float boxThreshold, float unclip, int minSize, int limitSide, float dropScore) {
    }

    /** The widest level line handed to the recogniser (PaddleOCR's own cap is in the same range). */
    private static final int MAX_LINE_WIDTH = 2048;

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
        this.tensors = runtime.tensors(det);
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
        List<TextBoxes.Quad> boxes = new ArrayList<>();
        for (TextBoxes.Quad q : detect(image)) {
            boxes.add(q.upright());
        }
        boolean[] flip = cls != null ? upsideDown(image, boxes) : new boolean[boxes.size()];
        List<TextLine> lines = new ArrayList<>();
        for (TextLine line : recognise(image, boxes, flip)) {
            // PaddleOCR's drop score: what the recogniser is unsure of is noise, not text
            if (!line.text().isBlank() && line.confidence() >= db.dropScore()) {
                lines.add(line);
            }
        }
        return ReadingOrder.arrange(lines);
    }

    /**
     * DB detection: the image scaled (aspect kept) so that its longer side is at most {@code limitSideLen}, padded to
     * multiples of 32 rather than stretched; then the rotated text boxes of the probability map, in image pixels.
     */
    private List<TextBoxes.Quad> detect(BufferedImage image) throws OrtException {
        int w = image.getWidth();
        int h = image.getHeight();
        float ratio = Math.max(w, h) > db.limitSide() ? (float) db.limitSide() / Math.max(w, h) : 1f;
        int rw = Math.max(32, (int) Math.ceil(w * ratio / 32) * 32);
        int rh = Math.max(32, (int) Math.ceil(h * ratio / 32) * 32);
        Preprocessor pre = DETECT.withSize(rw, rh);
        FloatBuffer in = buffers.take(pre.size());
        float[] prob;
        hub.imaging.Placement placed;
        try {
            long p0 = System.nanoTime();
            placed = pre.write(image, in, 0);
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
        return TextBoxes.find(prob, rw, rh, db, 1 / placed.scaleX(), 1 / placed.scaleY(), w, h);
    }

    /** A box's level crop width on a canvas {@code height} high, at most {@code max}. */
    private static int levelWidth(TextBoxes.Quad q, int height, int max) {
        return (int) Math.max(1, Math.min(max, Math.ceil(height * q.width() / Math.max(1f, q.height()))));
    }

    /** The orientation classifier over all boxes, {@code clsBatch} per run: which lines are upside down. */
    private boolean[] upsideDown(BufferedImage image, List<TextBoxes.Quad> boxes) throws OrtException {
        boolean[] out = new boolean[boxes.size()];
        for (int from = 0; from < boxes.size(); from += clsBatch) {
            int n = Math.min(clsBatch, boxes.size() - from);
            FloatBuffer in = buffers.take(n * ORIENT.size());
            try {
                long p0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    TextBoxes.Quad q = boxes.get(from + i);
                    // the line at its own aspect; a long line shows only its start (squeezed, the classifier guesses)
                    int cw = levelWidth(q, ORIENT.height(), MAX_LINE_WIDTH);
                    ORIENT.warp(image, q.toCanvas(cw, ORIENT.height(), false), Math.min(cw, ORIENT.width()), in,
                            i * ORIENT.size());
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
     * CTC recognition, {@code recBatch} lines per run: lines sorted by aspect ratio so that a batch pads little, each
     * cut out level from its rotated box at the model's height and padded on the right to the widest of its batch
     * (as PaddleOCR does).
     */
    private List<TextLine> recognise(BufferedImage image, List<TextBoxes.Quad> boxes, boolean[] flip)
            throws OrtException {
        Integer[] order = new Integer[boxes.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble(i -> (double) boxes.get(i).width()
                / Math.max(1f, boxes.get(i).height())));
        TextLine[] out = new TextLine[boxes.size()];
        for (int from = 0; from < order.length; from += recBatch) {
            int n = Math.min(recBatch, order.length - from);
            int[] widths = new int[n];
            int max = recHeight;
            for (int i = 0; i < n; i++) {
                widths[i] = levelWidth(boxes.get(order[from + i]), recHeight, MAX_LINE_WIDTH);
                max = Math.max(max, widths[i]);
            }
            // the batch's canvas is as wide as its widest line; narrower lines are padded on the right
            Preprocessor pre = line.withSize(max, recHeight);
            FloatBuffer in = buffers.take(n * pre.size());
            try {
                long p0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    int k = order[from + i];
                    pre.warp(image, boxes.get(k).toCanvas(widths[i], recHeight, flip[k]), widths[i], in, i * pre.size());
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
    private TextLine ctc(float[][] steps, TextBoxes.Quad b) {
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
        List<Point> polygon = List.of(new Point(b.x()[0], b.y()[0]), new Point(b.x()[1], b.y()[1]),
                new Point(b.x()[2], b.y()[2]), new Point(b.x()[3], b.y()[3]));
        return new TextLine(text.toString().trim(), kept == 0 ? 0 : (float) (confidence / kept), polygon);
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
