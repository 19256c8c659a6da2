package hub.loader.yolo.internal;

import hub.imaging.ImageDecoder;
import hub.api.ArtifactSpec;
import hub.api.Device;
import hub.api.Family;
import hub.api.ModelDescriptor;
import hub.api.spi.LoadRequest;
import hub.api.task.DetectionOptions;
import hub.api.task.ImageInput;
import hub.runtime.internal.OnnxInferenceRuntime;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Detection benchmark on the real YOLOv8n (run by hub.app/bench/bench-detect): images per second and p50/p99 of the
 * whole pipeline (decode, letterbox, session run, decode + NMS) beside the session run alone on the same input, and
 * the pre- and post-processing stages, all in one process.
 */
public final class DetectionBenchmark {
    private DetectionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path models = Path.of(System.getProperty("hub.test.models", "../shared/models"));
        Path images = Path.of(System.getProperty("hub.test.images", "../shared/images"));
        Path file = models.resolve("detection/yolov8n-int8.onnx");
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        ModelDescriptor d = new ModelDescriptor("yolov8n-int8", "1", Family.DETECTION, null, null, null, null, null,
                null, List.of(new ArtifactSpec("model", file.toUri(), null, -1, null)), null, null);
        try (YoloModel m = (YoloModel) new YoloLoader(new OnnxInferenceRuntime())
                .open(new LoadRequest(d, Map.of("model", file), Device.CPU, 0, 0))) {
            ImageInput dog = new ImageInput("dog.jpg", Files.readAllBytes(images.resolve("dog.jpg")));
            BufferedImage decoded = ImageDecoder.decode(dog);
            float[] input = m.preprocess(decoded);
            float[] raw = m.run(input);
            long[] shape = {1, 84, raw.length / 84};
            for (int i = 0; i < 15; i++) {
                m.detect(List.of(dog), DetectionOptions.DEFAULTS);
            }
            long[] whole = new long[n];
            long[] session = new long[n];
            long[] decode = new long[n];
            long[] pre = new long[n];
            long[] post = new long[n];
            for (int i = 0; i < n; i++) { // interleaved, so that both see the same machine state
                long t = System.nanoTime();
                m.detect(List.of(dog), DetectionOptions.DEFAULTS);
                whole[i] = System.nanoTime() - t;
                t = System.nanoTime();
                m.run(input);
                session[i] = System.nanoTime() - t;
                t = System.nanoTime();
                BufferedImage img = ImageDecoder.decode(dog);
                decode[i] = System.nanoTime() - t;
                t = System.nanoTime();
                m.preprocess(img);
                pre[i] = System.nanoTime() - t;
                t = System.nanoTime();
                m.postprocess(raw, shape, decoded.getWidth(), decoded.getHeight());
                post[i] = System.nanoTime() - t;
            }
            System.out.printf("yolov8n-int8 at 640 on CPU, dog.jpg (768x576), %d runs, %d threads available%n", n,
                    Runtime.getRuntime().availableProcessors());
            line("whole pipeline", whole);
            line("session run alone", session);
            line("decode (JPEG)", decode);
            line("letterbox + normalise", pre);
            line("decode outputs + NMS", post);
            System.out.printf("ratio pipeline / session run (p50): %.2f (target <= 1.25)%n",
                    (double) pct(whole, 50) / pct(session, 50));
            System.out.printf("pre + post processing (p50, decode excluded): %.2f ms (target < 5 ms)%n",
                    (pct(pre, 50) + pct(post, 50)) / 1e6);
        }
    }

    private static void line(String what, long[] ns) {
        System.out.printf("%-22s %6.1f images/s  p50 %7.2f ms  p99 %7.2f ms%n", what, 1e9 / pct(ns, 50), pct(ns, 50) / 1e6,
                pct(ns, 99) / 1e6);
    }

    private static long pct(long[] v, int p) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(s.length * p / 100.0) - 1)];
    }
}
