package hub.loader.resnet.internal;

import static hub.runtime.testing.Bench.line;
import static hub.runtime.testing.Bench.ms;
import static hub.runtime.testing.Bench.ratio;
import static hub.runtime.testing.Bench.target;
import static hub.runtime.testing.Bench.time;

import hub.api.LoaderParameters;
import hub.api.task.ImageInput;
import hub.imaging.ImageDecoder;
import hub.imaging.Preprocessor;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Classification benchmark on the real mnist-8 (the only real classifier among the fixtures): a rendered 28x28 digit
 * and a 768x576 photo (dog.jpg), each stage (decode with libjpeg-turbo and with ImageIO, preparation, session, top-k)
 * and the whole pipeline beside the session run alone on the same prepared input; then the decode + resize of that
 * photo for an ImageNet-sized 224x224 input (shorter side 256, centre crop), with its target (run by
 * hub.app/bench/bench-family classify).
 */
public final class ClassificationBenchmark {
    private ClassificationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Path models = Path.of(System.getProperty("hub.test.models", "../shared/models"));
        Path images = Path.of(System.getProperty("hub.test.images", "../shared/images"));
        Path mnist = models.resolve("classification/mnist-8.onnx");
        ImageInput dog = new ImageInput("dog.jpg", Files.readAllBytes(images.resolve("dog.jpg")));
        try (ResnetModel m = (ResnetModel) ClassificationTest.open(mnist, LoaderParameters.EMPTY, Map.of("model", mnist))) {
            System.out.printf("mnist-8 (1x28x28) on CPU, %d runs, %d threads available, JPEG through %s%n", n,
                    Runtime.getRuntime().availableProcessors(), ImageDecoder.jpegDecoder());
            measure(m, new ImageInput("digit-7.png", Digits.png(7, Font.SANS_SERIF)), n);
            measure(m, dog, n);
        }
        imageNetInput(dog, n);
    }

    private static void measure(ResnetModel m, ImageInput image, int n) throws Exception {
        Preprocessor pre = m.pre();
        int side = m.decodeSide();
        FloatBuffer input = Preprocessor.allocate(pre.size());
        pre.write(ImageDecoder.decode(image, side, side), input, 0);
        float[] scores = m.run(input, 1).get(0);
        for (int i = 0; i < 20; i++) {
            m.classify(List.of(image), 5);
            m.run(input, 1);
        }
        long[] whole = new long[n];
        long[] session = new long[n];
        long[] decode = new long[n];
        long[] decodeIo = new long[n];
        long[] prepare = new long[n];
        long[] post = new long[n];
        for (int i = 0; i < n; i++) {
            whole[i] = time(() -> m.classify(List.of(image), 5));
            session[i] = time(() -> m.run(input, 1));
            BufferedImage[] img = new BufferedImage[1];
            decode[i] = time(() -> img[0] = ImageDecoder.decode(image, side, side));
            decodeIo[i] = time(() -> ImageDecoder.imageIo(image, side, side));
            prepare[i] = time(() -> pre.write(img[0], input, 0));
            post[i] = time(() -> m.top(scores, 5));
        }
        System.out.println("-- " + image.name());
        line("decode", decode);
        line("decode (ImageIO)", decodeIo);
        line("resize + normalise", prepare);
        line("session run alone", session);
        line("softmax + top-5", post);
        line("whole pipeline", whole);
        ratio("ratio pipeline / session (p50)", whole, session);
    }

    /** Decode + resize + normalise of a 768x576 JPEG for a 224x224 ImageNet input, both decoders. */
    private static void imageNetInput(ImageInput photo, int n) throws Exception {
        Preprocessor pre = Preprocessor.builder(224, 224).fit(Preprocessor.Fit.CROP).resize(256)
                .mean(0.485f, 0.456f, 0.406f).std(0.229f, 0.224f, 0.225f).build();
        FloatBuffer out = Preprocessor.allocate(pre.size());
        long[] turbo = new long[n];
        long[] io = new long[n];
        long[] decode = new long[n];
        long[] resize = new long[n];
        BufferedImage decoded = ImageDecoder.decode(photo, 256, 256);
        for (int i = 0; i < n + 20; i++) {
            long a = time(() -> pre.write(ImageDecoder.decode(photo, 256, 256), out, 0));
            long b = time(() -> pre.write(ImageDecoder.imageIo(photo, 256, 256).image(), out, 0));
            long c = time(() -> ImageDecoder.decode(photo, 256, 256));
            long d = time(() -> pre.write(decoded, out, 0));
            if (i >= 20) {
                turbo[i - 20] = a;
                io[i - 20] = b;
                decode[i - 20] = c;
                resize[i - 20] = d;
            }
        }
        System.out.printf("-- dog.jpg (768x576) to a 224x224 ImageNet input (shorter side 256, centre crop; decoded at "
                + "%dx%d)%n", decoded.getWidth(), decoded.getHeight());
        line("decode alone", decode);
        line("resize + crop + normalise alone", resize);
        line("decode + resize (" + ImageDecoder.jpegDecoder() + ")", turbo);
        line("decode + resize (ImageIO)", io);
        target("decode + resize 768x576 to 224", ms(turbo), "ms", 4);
    }
}
