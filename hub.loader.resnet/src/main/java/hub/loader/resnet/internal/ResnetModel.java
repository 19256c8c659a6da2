package hub.loader.resnet.internal;

import hub.imaging.ImageDecoder;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import hub.api.Device;
import hub.api.spi.LoadedModel;
import hub.api.task.Classification;
import hub.api.task.Classifier;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import hub.runtime.InferenceRuntime;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** An open N x C x H x W classifier: preprocessing from the descriptor, softmax unless it already outputs one, top-k. */
final class ResnetModel implements LoadedModel, Classifier {
    private final OrtSession session;
    private final Device device;
    private final InferenceRuntime runtime;
    private final Preprocess pre;
    private final String input;
    private final String output;
    private final List<String> labels;

    ResnetModel(OrtSession session, Device device, InferenceRuntime runtime, Preprocess pre, String output,
            List<String> labels) throws OrtException {
        this.session = session;
        this.device = device;
        this.runtime = runtime;
        this.pre = pre;
        this.input = session.getInputNames().iterator().next();
        this.output = output;
        this.labels = List.copyOf(labels);
    }

    @Override
    public Device device() {
        return device;
    }


    @Override
    public void warmUp() throws Exception {
        runtime.warmUp(session, pre.size());
    }

    @Override
    public List<ImageResult<List<Classification>>> classify(List<ImageInput> images, int topK) {
        int k = topK <= 0 ? 5 : topK;
        List<ImageResult<List<Classification>>> out = new ArrayList<>();
        for (ImageInput image : images) {
            try {
                out.add(ImageResult.ok(image.name(), classify(pre.apply(ImageDecoder.decode(image)), k)));
            } catch (IllegalArgumentException e) {
                out.add(ImageResult.failed(image.name(), e.getMessage()));
            } catch (OrtException e) {
                out.add(ImageResult.failed(image.name(), "inference failed: " + e.getMessage()));
            }
        }
        return out;
    }

    List<Classification> classify(float[] nchw, int k) throws OrtException {
        try (OnnxTensor t = OnnxTensor.createTensor(runtime.environment(), FloatBuffer.wrap(nchw),
                new long[] {1, pre.channels(), pre.size(), pre.size()});
                OrtSession.Result r = session.run(Map.of(input, t), java.util.Set.of(output))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] scores = new float[fb.remaining()];
            fb.get(scores);
            float[] p = probabilities(scores);
            return IntStream.range(0, p.length).boxed().sorted(Comparator.comparingDouble(i -> -p[i])).limit(k)
                    .map(i -> new Classification(label(i), i, p[i])).toList();
        }
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
