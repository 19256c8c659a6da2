package hub.imaging;

import hub.api.task.ImageInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * JPEG decoding, libjpeg-turbo beside ImageIO on the same files in one process: full size, and to the size a 224x224
 * and a 640x640 model needs; and PNG decoding, libpng beside ImageIO. Prints medians in ms and the ratio. {@code hub.app/bench/bench-family decode [RUNS]}.
 */
public final class DecodeBenchmark {
    private DecodeBenchmark() {
    }

    /**
     * @param args runs per measurement (default 60)
     * @throws Exception when a file cannot be read
     */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Path images = Path.of(System.getProperty("hub.test.images", "../../shared/images"));
        System.out.println("JPEG decoder: " + ImageDecoder.jpegDecoder() + "; PNG decoder: " + ImageDecoder.pngDecoder());
        for (String name : new String[] {"astronaut.png", "coffee.png"}) {
            Path f = images.resolve(name);
            if (!Files.isRegularFile(f)) {
                continue;
            }
            ImageInput in = new ImageInput(name, Files.readAllBytes(f));
            ImageHeader h = ImageDecoder.probe(in);
            double io = median(runs, () -> ImageDecoder.imageIo(in, 0, 0));
            double png = LibPng.available() ? median(runs, () -> LibPng.decode(in.data(), ImageDecoder.MAX_DECODED_BYTES))
                    : Double.NaN;
            System.out.println(String.format(Locale.ROOT, "%-13s %dx%d full       ImageIO %7.2f ms   libpng        %7.2f ms"
                    + "   ratio %.2f", name, h.width(), h.height(), io, png, png / io));
        }
        for (String name : new String[] {"dog.jpg", "horses.jpg"}) {
            Path f = images.resolve(name);
            if (!Files.isRegularFile(f)) {
                continue;
            }
            ImageInput in = new ImageInput(name, Files.readAllBytes(f));
            ImageHeader h = ImageDecoder.probe(in);
            for (int[] need : new int[][] {{0, 0}, {224, 224}, {640, 640}}) {
                double io = median(runs, () -> ImageDecoder.imageIo(in, need[0], need[1]));
                double turbo = TurboJpeg.available()
                        ? median(runs, () -> TurboJpeg.decode(in.data(), need[0], need[1], ImageDecoder.MAX_DECODED_BYTES))
                        : Double.NaN;
                System.out.println(String.format(Locale.ROOT, "%-11s %dx%d to %-9s  ImageIO %7.2f ms   libjpeg-turbo %7.2f ms"
                        + "   ratio %.2f", name, h.width(), h.height(), need[0] == 0 ? "full" : need[0] + "x" + need[1],
                        io, turbo, turbo / io));
            }
        }
    }

    private static double median(int runs, Supplier<?> work) {
        for (int i = 0; i < Math.max(5, runs / 5); i++) {
            work.get(); // warm up
        }
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            work.get();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return t[runs / 2];
    }
}
