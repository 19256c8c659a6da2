package hub.loader.resnet.internal;

import hub.imaging.BufferPool;
import hub.imaging.ImageDecoder;
import hub.imaging.Preprocessor;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import hub.api.Device;
import hub.api.spi.LoadedModel;
import hub.api.task.Classification;
import hub.api.task.Classifier;
import hub.api.task.Embedding;
import hub.api.task.ImageEmbedder;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import hub.runtime.InferenceRuntime;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * An open N x C x H x W classifier: preprocessing from the descriptor, softmax unless it already outputs one, top-k;
 * and, where the descriptor names a feature tensor, an image embedder over that tensor (pooled, L2-normalised).
 */
final class ResnetModel implements LoadedModel, Classifier, ImageEmbedder {
    private final OrtSession session;
    private final Device device;
    private final InferenceRuntime runtime;
    private final Preprocessor pre;
    private final int decodeSide;
    private final BufferPool buffers = new BufferPool(4);
    private final String input;
    private final String output;
    private final List<String> labels;
    private final int batch;
    private final String features;
    private final String name;
    private final boolean classifies;

    ResnetModel(OrtSession session, Device device, InferenceRuntime runtime, Preprocessor pre, int decodeSide, String output,
            List<String> labels, int batch, String features, String name, boolean classifies) throws OrtException {
        this.session = session;
        this.device = device;
        this.runtime = runtime;
        this.pre = pre;
        this.decodeSide = decodeSide;
        this.input = session.getInputNames().iterator().next();
        this.output = output;
        this.labels = List.copyOf(labels);
        this.batch = runtime.batchLimit(session, batch);
        this.features = features;
        this.name = name;
        this.classifies = classifies;
        this.tensors = runtime.tensors(session);
    }

    private final hub.api.task.TensorModel tensors;

    @Override
    public <T> java.util.Optional<T> task(Class<T> type) {
        if (type == ImageEmbedder.class && features == null || type == Classifier.class && !classifies) {
            return java.util.Optional.empty();
        }
        if (type == hub.api.task.TensorModel.class) {
            return java.util.Optional.of(type.cast(tensors));
        }
        return LoadedModel.super.task(type);
    }

    @Override
    public List<ImageResult<Embedding>> embed(List<ImageInput> images) {
        if (features == null) {
            throw new IllegalStateException(name + " names no feature output (parameter featureOutput)");
        }
        return batched(images, features, v -> new Embedding(name, v));
    }

    /**
     * Decodes and prepares each image, runs them {@code batch} at a time, and maps each one's row of {@code tensor}
     * to its result; an image that cannot be read, or a failed run, is that image's error.
     */
    private <R> List<ImageResult<R>> batched(List<ImageInput> images, String tensor,
            java.util.function.Function<float[], R> result) {
        List<ImageResult<R>> out = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        List<java.awt.image.BufferedImage> inputs = new ArrayList<>();
        for (int i = 0; i <= images.size(); i++) {
            if (i < images.size()) {
                try {
                    // no larger than the resize step needs: a large photo is read subsampled
                    inputs.add(ImageDecoder.decode(images.get(i), decodeSide, decodeSide));
                    slots.add(out.size());
                    out.add(null);
                } catch (IllegalArgumentException e) {
                    out.add(ImageResult.failed(images.get(i).name(), e.getMessage()));
                }
            }
            if (!inputs.isEmpty() && (inputs.size() == batch || i == images.size())) {
                try {
                    List<float[]> rows = run(inputs, tensor);
                    for (int j = 0; j < slots.size(); j++) {
                        out.set(slots.get(j), ImageResult.ok(images.get(slots.get(j)).name(), result.apply(rows.get(j))));
                    }
                } catch (OrtException e) {
                    for (int slot : slots) {
                        out.set(slot, ImageResult.failed(images.get(slot).name(), "inference failed: " + e.getMessage()));
                    }
                }
                slots.clear();
                inputs.clear();
            }
        }
        return out;
    }

    /** Averages [n, C, H, W] features over H and W (a global average pool), then L2-normalises each row. */
    static List<float[]> pool(FloatBuffer fb, long[] shape) {
        int n = (int) shape[0];
        int c = shape.length > 1 ? (int) shape[1] : fb.remaining() / n;
        int spatial = fb.remaining() / (n * c);
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] v = new float[c];
            double norm = 0;
            for (int ch = 0; ch < c; ch++) {
                double sum = 0;
                int base = (i * c + ch) * spatial;
                for (int s = 0; s < spatial; s++) {
                    sum += fb.get(base + s);
                }
                v[ch] = (float) (sum / spatial);
                norm += v[ch] * v[ch];
            }
            float inv = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
            for (int ch = 0; ch < c; ch++) {
                v[ch] *= inv;
            }
            out.add(v);
        }
        return out;
    }

    @Override
    public Device device() {
        return device;
    }


    Preprocessor pre() {
        return pre;
    }

    int decodeSide() {
        return decodeSide;
    }

    int batch() {
        return batch;
    }

    @Override
    public void warmUp() throws Exception {
        runtime.warmUp(session, pre.width());
    }

    @Override
    public List<ImageResult<List<Classification>>> classify(List<ImageInput> images, int topK) {
        int k = topK <= 0 ? 5 : topK;
        return batched(images, output, scores -> top(scores, k));
    }

    /** One session run over decoded images: the raw scores of each. */
    List<float[]> run(List<java.awt.image.BufferedImage> inputs) throws OrtException {
        return run(inputs, output);
    }

    /**
     * One session run over decoded images, each prepared straight into a pooled direct buffer: per image, the scores,
     * or the pooled features of {@code features}.
     */
    private List<float[]> run(List<java.awt.image.BufferedImage> inputs, String tensor) throws OrtException {
        int n = inputs.size();
        FloatBuffer in = buffers.take(n * pre.size());
        try {
            for (int i = 0; i < n; i++) {
                pre.write(inputs.get(i), in, i * pre.size());
            }
            return run(in, n, tensor);
        } finally {
            buffers.give(in);
        }
    }

    /** One session run over {@code n} prepared inputs (the session stage alone, for the benchmark). */
    List<float[]> run(FloatBuffer in, int n) throws OrtException {
        return run(in, n, output);
    }

    private List<float[]> run(FloatBuffer in, int n, String tensor) throws OrtException {
        try (OnnxTensor t = OnnxTensor.createTensor(runtime.environment(), in, pre.shape(n));
                OrtSession.Result r = session.run(Map.of(input, t), java.util.Set.of(tensor))) {
            OnnxTensor result = (OnnxTensor) r.get(0);
            FloatBuffer fb = result.getFloatBuffer();
            if (tensor.equals(features)) {
                long[] shape = result.getInfo().getShape();
                shape[0] = n;
                return pool(fb, shape);
            }
            int per = fb.remaining() / n;
            List<float[]> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                float[] scores = new float[per];
                fb.get(scores);
                out.add(scores);
            }
            return out;
        }
    }

    List<Classification> top(float[] scores, int k) {
        float[] p = probabilities(scores);
        return IntStream.range(0, p.length).boxed().sorted(Comparator.comparingDouble(i -> -p[i])).limit(k)
                .map(i -> new Classification(label(i), i, p[i])).toList();
    }

    /** Softmax of logits; outputs that already are a distribution stay as they are. */
    static float[] probabilities(float[] v) {
        double sum = 0;
        boolean nonNegative = true;
        for (float x : v) {
            sum += x;
            nonNegative &= x >= 0;
        }
        if (nonNegative && Math.abs(sum - 1) < 1e-3) {
            return v;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            max = Math.max(max, x);
        }
        double total = 0;
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) Math.exp(v[i] - max);
            total += out[i];
        }
        for (int i = 0; i < v.length; i++) {
            out[i] /= (float) total;
        }
        return out;
    }

    private String label(int i) {
        return i < labels.size() ? labels.get(i) : String.valueOf(i);
    }

    @Override
    public synchronized void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the classification session failed", e);
        }
    }
}
