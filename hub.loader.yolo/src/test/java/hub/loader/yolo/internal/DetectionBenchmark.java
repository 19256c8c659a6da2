package hub.loader.yolo.internal;

import static hub.runtime.testing.Bench.line;
import static hub.runtime.testing.Bench.ms;
import static hub.runtime.testing.Bench.ratio;
import static hub.runtime.testing.Bench.ratioOf;
import static hub.runtime.testing.Bench.target;
import static hub.runtime.testing.Bench.time;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.translator.YoloV8TranslatorFactory;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import hub.api.ArtifactSpec;
import hub.api.Device;
import hub.api.Family;
import hub.api.ModelDescriptor;
import hub.api.spi.LoadRequest;
import hub.api.task.DetectionOptions;
import hub.api.task.ImageInput;
import hub.imaging.ImageDecoder;
import hub.runtime.internal.OnnxInferenceRuntime;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Detection benchmark on the real YOLOv8n (run by hub.app/bench/bench-family detect): images per second and p50/p99
 * of the whole pipeline (decode, letterbox, session run, decode + NMS) beside the session run alone on the same
 * input, each stage (decode with libjpeg-turbo and with ImageIO, letterbox, session, post-processing), and the same
 * model through DJL's predictor, all in one process and interleaved so that every path sees the same machine state.
 * The target (pipeline / session &lt;= 1.10) is printed beside its figure.
 */
public final class DetectionBenchmark {
    private DetectionBenchmark() {
    }

    /** DJL's predictor around the same prepared input and raw output as the hub's path. */
    private static final class RawTranslator implements NoBatchifyTranslator<float[], float[]> {
        private final int size;

        RawTranslator(int size) {
            this.size = size;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, float[] chw) {
            return new NDList(ctx.getNDManager().create(FloatBuffer.wrap(chw), new Shape(1, 3, size, size)));
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            return list.get(0).toFloatArray();
        }
    }

    public static void main(String[] args) throws Exception {
        Path models = Path.of(System.getProperty("hub.test.models", "../shared/models"));
        Path images = Path.of(System.getProperty("hub.test.images", "../shared/images"));
        Path file = models.resolve("detection/yolov8n-int8.onnx");
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        ModelDescriptor d = new ModelDescriptor("yolov8n-int8", "1", Family.DETECTION, null, null, null, null, null,
                null, List.of(new ArtifactSpec("model", file.toUri(), null, -1, null)), null, null);
        try (YoloModel m = (YoloModel) new YoloLoader(new OnnxInferenceRuntime())
                .open(new LoadRequest(d, Map.of("model", file), Device.CPU, 0, 0));
                ZooModel<float[], float[]> djl = Criteria.builder().setTypes(float[].class, float[].class)
                        .optModelPath(file).optEngine("OnnxRuntime").optTranslator(new RawTranslator(640)).build()
                        .loadModel();
                Predictor<float[], float[]> predictor = djl.newPredictor()) {
            ImageInput dog = new ImageInput("dog.jpg", Files.readAllBytes(images.resolve("dog.jpg")));
            BufferedImage decoded = ImageDecoder.decode(dog, 640, 640);
            FloatBuffer prepared = m.preprocess(decoded);
            float[] input = new float[prepared.remaining()];
            prepared.get(0, input);
            float[] raw = m.run(prepared);
            long[] shape = {1, 84, raw.length / 84};
            for (int i = 0; i < 15; i++) {
                predictor.predict(input);
            }
            for (int i = 0; i < 15; i++) {
                m.detect(List.of(dog), DetectionOptions.DEFAULTS);
            }
            long[] whole = new long[n];
            long[] session = new long[n];
            long[] decode = new long[n];
            long[] decodeIo = new long[n];
            long[] pre = new long[n];
            long[] post = new long[n];
            long[] djlWhole = new long[n];
            long[] djlRun = new long[n];
            for (int i = 0; i < n; i++) { // the hub's stages, interleaved so that all see the same machine state
                whole[i] = time(() -> m.detect(List.of(dog), DetectionOptions.DEFAULTS));
                session[i] = time(() -> m.run(prepared));
                BufferedImage[] img = new BufferedImage[1];
                decode[i] = time(() -> img[0] = ImageDecoder.decode(dog, 640, 640));
                decodeIo[i] = time(() -> ImageDecoder.imageIo(dog, 640, 640));
                pre[i] = time(() -> m.preprocess(img[0], prepared));
                post[i] = time(() -> m.postprocess(raw, shape, decoded.getWidth(), decoded.getHeight()));
            }
            // DJL's session has its own thread pool, whose threads spin for a while after each run: measured in a
            // loop of its own so that the two pools never compete for the cores
            for (int i = 0; i < n; i++) {
                djlRun[i] = time(() -> predictor.predict(input));
                djlWhole[i] = time(() -> {
                    BufferedImage b = ImageDecoder.decode(dog, 640, 640);
                    m.preprocess(b, prepared);
                    float[] copy = new float[prepared.remaining()];
                    prepared.get(0, copy);
                    m.postprocess(predictor.predict(copy), shape, b.getWidth(), b.getHeight());
                });
            }
            System.out.printf("yolov8n-int8 at 640 on CPU, dog.jpg (768x576), %d runs, %d threads available%n", n,
                    Runtime.getRuntime().availableProcessors());
            line("decode (" + ImageDecoder.jpegDecoder() + ")", decode);
            line("decode (ImageIO, the fallback)", decodeIo);
            line("letterbox + normalise", pre);
            line("session run alone", session);
            line("decode outputs + NMS", post);
            line("whole pipeline", whole);
            line("DJL predictor, same model", djlRun);
            line("DJL predictor in the pipeline", djlWhole);
            ratio("ratio decode ImageIO / " + ImageDecoder.jpegDecoder(), decodeIo, decode);
            System.out.printf("%-34s %.2f ms%n", "pre + post (p50, decode excluded)", ms(pre) + ms(post));
            ratio("ratio DJL predictor / session", djlRun, session);
            ratio("ratio DJL pipeline / hub pipeline", djlWhole, whole);
            djlOwnTranslator(file, models.resolve("labels/coco-80.txt"), decoded);
            target("detection pipeline / session", ratioOf(whole, session), "x", 1.10);
        }
    }

    /** DJL's own YOLOv8 translator does its pre- and post-processing in NDArray operations; try it and say how it went. */
    private static void djlOwnTranslator(Path file, Path names, BufferedImage image) throws java.io.IOException {
        Criteria<Image, DetectedObjects> c = Criteria.builder().setTypes(Image.class, DetectedObjects.class)
                .optModelPath(file).optEngine("OnnxRuntime").optTranslatorFactory(new YoloV8TranslatorFactory())
                .optArgument("width", 640).optArgument("height", 640).optArgument("resize", true)
                .optArgument("synset", String.join(",", Files.readAllLines(names))).build();
        try (ZooModel<Image, DetectedObjects> model = c.loadModel(); Predictor<Image, DetectedObjects> p = model.newPredictor()) {
            Image img = ImageFactory.getInstance().fromImage(image);
            long t = System.nanoTime();
            DetectedObjects found = p.predict(img);
            System.out.printf("DJL's YoloV8Translator on OnnxRuntime alone: %d objects in %.1f ms%n",
                    found.getNumberOfObjects(), (System.nanoTime() - t) / 1e6);
        } catch (Exception e) {
            System.out.println("DJL's YoloV8Translator on OnnxRuntime alone cannot run: " + e);
        }
    }
}
