package hub.loader.resnet.internal;

import static hub.runtime.testing.Bench.line;
import static hub.runtime.testing.Bench.ratio;
import static hub.runtime.testing.Bench.time;

import hub.api.LoaderParameters;
import hub.api.task.ImageInput;
import hub.imaging.ImageDecoder;
import java.awt.Font;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Classification benchmark on the real mnist-8 (the only real classifier among the fixtures): a rendered 28x28 digit
 * and a 768x576 photo (dog.jpg, so decoding and resizing weigh as they would for ImageNet models), the whole pipeline
 * beside the session run alone on the same prepared input (run by hub.app/bench/bench-family classify).
 */
public final class ClassificationBenchmark {
    private ClassificationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Path models = Path.of(System.getProperty("hub.test.models", "../shared/models"));
        Path images = Path.of(System.getProperty("hub.test.images", "../shared/images"));
        Path mnist = models.resolve("classification/mnist-8.onnx");
        try (ResnetModel m = (ResnetModel) ClassificationTest.open(mnist, LoaderParameters.EMPTY, Map.of("model", mnist))) {
            System.out.printf("mnist-8 (1x28x28) on CPU, %d runs, %d threads available%n", n,
                    Runtime.getRuntime().availableProcessors());
            measure(m, new ImageInput("digit-7.png", Digits.png(7, Font.SANS_SERIF)), n);
            measure(m, new ImageInput("dog.jpg", Files.readAllBytes(images.resolve("dog.jpg"))), n);
        }
    }

    private static void measure(ResnetModel m, ImageInput image, int n) throws Exception {
        float[] input = m.pre().apply(ImageDecoder.decode(image));
        for (int i = 0; i < 20; i++) {
            m.classify(List.of(image), 5);
            m.run(List.of(input));
        }
        long[] whole = new long[n];
        long[] session = new long[n];
        long[] pre = new long[n];
        for (int i = 0; i < n; i++) {
            whole[i] = time(() -> m.classify(List.of(image), 5));
            session[i] = time(() -> m.run(List.of(input)));
            pre[i] = time(() -> m.pre().apply(ImageDecoder.decode(image)));
        }
        System.out.println("-- " + image.name());
        line("whole pipeline", whole);
        line("session run alone", session);
        line("decode + resize + normalise", pre);
        ratio("ratio pipeline / session (p50)", whole, session);
    }
}
