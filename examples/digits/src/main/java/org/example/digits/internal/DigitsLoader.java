package org.example.digits.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import hub.api.Device;
import hub.api.spi.LoadRequest;
import hub.api.spi.LoadedModel;
import hub.api.spi.ModelFamily;
import hub.api.spi.ModelLoader;
import hub.api.task.Classification;
import hub.api.task.Classifier;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import hub.imaging.ImageDecoder;
import hub.imaging.Preprocessor;
import hub.runtime.InferenceRuntime;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * A plug-in loader for a family the hub does not ship: "digits", handwritten digit classifiers with MNIST's 1 x 28 x 28
 * input. It registers itself as a {@link ModelLoader}; the hub finds it by its family and hands it verified files.
 */
@Component(service = ModelLoader.class)
@ModelFamily("digits")
public class DigitsLoader implements ModelLoader {
    /** MNIST's input: 28 x 28 luminance, 0..255, the whole image stretched. */
    static final Preprocessor GREY_28 = Preprocessor.builder(28, 28).channels(Preprocessor.Channels.GREY).scale(1)
            .build();
    private final InferenceRuntime runtime;

    /**
     * @param runtime the hub's shared ONNX Runtime
     */
    @Activate
    public DigitsLoader(@Reference InferenceRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public LoadedModel open(LoadRequest request) throws OrtException {
        // the hub's runtime opens the session: device, GPU index, TensorRT, threads, optimisation from its settings
        return new DigitsModel(runtime.open(request), request.device());
    }

    /** An open digit classifier: grey 28 x 28 in, ten digits out. */
    final class DigitsModel implements LoadedModel, Classifier {
        private final OrtSession session;
        private final Device device;
        private final String input;

        DigitsModel(OrtSession session, Device device) throws OrtException {
            this.session = session;
            this.device = device;
            this.input = session.getInputNames().iterator().next();
        }

        @Override
        public Device device() {
            return device;
        }


        @Override
        public void warmUp() throws OrtException {
            runtime.warmUp(session, 28);
        }

        @Override
        public List<ImageResult<List<Classification>>> classify(List<ImageInput> images, int topK) {
            List<ImageResult<List<Classification>>> out = new ArrayList<>();
            for (ImageInput image : images) {
                try {
                    out.add(ImageResult.ok(image.name(), digits(grey28(image), Math.max(1, topK))));
                } catch (IllegalArgumentException e) {
                    out.add(ImageResult.failed(image.name(), e.getMessage()));
                } catch (OrtException e) {
                    out.add(ImageResult.failed(image.name(), "inference failed: " + e.getMessage()));
                }
            }
            return out;
        }

        private List<Classification> digits(FloatBuffer pixels, int k) throws OrtException {
            try (OnnxTensor t = OnnxTensor.createTensor(runtime.environment(), pixels, GREY_28.shape(1));
                    OrtSession.Result r = session.run(Map.of(input, t))) {
                float[] logits = ((float[][]) r.get(0).getValue())[0];
                double max = IntStream.range(0, 10).mapToDouble(i -> logits[i]).max().orElse(0);
                double[] e = IntStream.range(0, 10).mapToDouble(i -> Math.exp(logits[i] - max)).toArray();
                double sum = java.util.Arrays.stream(e).sum();
                return IntStream.range(0, 10).boxed().sorted(Comparator.comparingDouble(i -> -e[i])).limit(k)
                        .map(i -> new Classification(String.valueOf(i), i, (float) (e[i] / sum))).toList();
            }
        }

        @Override
        public void close() {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Decodes with the hub's decoder (its size limits and clear errors included) and prepares the input in one pass.
     *
     * @param image an encoded image
     * @return the model's input, in a direct buffer ONNX Runtime reads in place
     * @throws IllegalArgumentException naming what is wrong with the image
     */
    static FloatBuffer grey28(ImageInput image) {
        FloatBuffer out = Preprocessor.allocate(GREY_28.size());
        GREY_28.write(ImageDecoder.decode(image, 28, 28), out, 0);
        return out;
    }
}
