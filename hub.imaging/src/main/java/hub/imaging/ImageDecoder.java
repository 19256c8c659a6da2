package hub.imaging;

import hub.api.task.ImageInput;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG, PNG, BMP and GIF, refusing empty, truncated, unknown or absurdly large images with a clear reason.
 * What an image will cost is known from its header before any pixel is decoded ({@link #probe}); an image larger
 * than the model needs is decoded subsampled ({@link #decode(ImageInput, int, int)}), so a photograph of 8000 x 8000
 * pixels costs a few megabytes, not 192.
 */
public final class ImageDecoder {
    /** Largest width or height accepted. */
    public static final int MAX_SIDE = 20_000;
    /** Largest pixel count accepted. */
    public static final long MAX_PIXELS = 100_000_000L;
    /**
     * Largest decoded size accepted here whatever the caller's limits (the hub's request path applies a lower,
     * configurable one before decoding).
     */
    public static final long MAX_DECODED_BYTES = 1L << 30;

    private ImageDecoder() {
    }

    /**
     * Reads an image's header: format, dimensions, samples.
     *
     * @param input an encoded image
     * @return what it decodes to
     * @throws IllegalArgumentException when it is empty or not an image
     */
    public static ImageHeader probe(ImageInput input) {
        return withReader(input, reader -> header(reader));
    }

    /**
     * @param input an encoded image
     * @return the decoded image, full size
     * @throws IllegalArgumentException naming what is wrong: empty, not an image, bad dimensions, undecodable
     */
    public static BufferedImage decode(ImageInput input) {
        return decode(input, 0, 0);
    }

    /**
     * Decodes an image no larger than needed: when it is at least twice as wide and as high as the size asked for,
     * every n-th pixel of every n-th row is read (the largest n that keeps it at least that size). The result's
     * width and height tell how much smaller it came out.
     *
     * @param input an encoded image
     * @param minWidth the width the caller needs at least (0: full size)
     * @param minHeight the height the caller needs at least (0: full size)
     * @return the decoded image
     * @throws IllegalArgumentException naming what is wrong: empty, not an image, bad dimensions, too large,
     *         undecodable
     */
    public static BufferedImage decode(ImageInput input, int minWidth, int minHeight) {
        return withReader(input, reader -> {
            // ImageIO decodes a truncated or damaged file "successfully" (grey rest) and only warns: refuse it
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            ImageHeader h = header(reader);
            int step = subsampling(h.width(), h.height(), minWidth, minHeight);
            long decoded = h.decodedBytes() / ((long) step * step);
            if (decoded > MAX_DECODED_BYTES) {
                throw new IllegalArgumentException("image " + h.describe() + " is too large to decode (at most "
                        + megabytes(MAX_DECODED_BYTES) + ")");
            }
            ImageReadParam param = null;
            if (step > 1) {
                param = reader.getDefaultReadParam();
                param.setSourceSubsampling(step, step, 0, 0);
            }
            BufferedImage image = JpegFastPath.read(reader, param);
            if (image == null) {
                image = reader.read(0, param);
            }
            if (!warnings.isEmpty()) {
                throw new IllegalArgumentException("truncated or damaged image: " + warnings.get(0));
            }
            return image;
        });
    }

    /**
     * @param width image width
     * @param height image height
     * @param minWidth needed width (0: full size)
     * @param minHeight needed height (0: full size)
     * @return the subsampling step that keeps the image at least the needed size (1: none)
     */
    public static int subsampling(int width, int height, int minWidth, int minHeight) {
        if (minWidth <= 0 || minHeight <= 0) {
            return 1;
        }
        return Math.max(1, Math.min(width / minWidth, height / minHeight));
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }

    private interface ReaderWork<T> {
        T apply(ImageReader reader) throws IOException;
    }

    private static <T> T withReader(ImageInput input, ReaderWork<T> work) {
        if (input.data().length == 0) {
            throw new IllegalArgumentException("empty image");
        }
        // in memory: ImageIO.createImageInputStream would cache a byte stream in a temporary file
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(input.data()))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException("not an image (JPEG, PNG, BMP or GIF expected)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return work.apply(reader);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot decode image: " + e.getMessage(), e);
        }
    }

    private static ImageHeader header(ImageReader reader) throws IOException {
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w <= 0 || h <= 0 || w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS) {
            throw new IllegalArgumentException("image dimensions " + w + "x" + h + " out of range (at most "
                    + MAX_SIDE + " per side, " + MAX_PIXELS + " pixels)");
        }
        int bands = 3;
        int bytes = 1;
        try {
            Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
            if (types.hasNext()) {
                ImageTypeSpecifier t = types.next();
                bands = t.getNumBands();
                int bits = 0;
                for (int b = 0; b < bands; b++) {
                    bits = Math.max(bits, t.getBitsPerBand(b));
                }
                bytes = Math.max(1, (bits + 7) / 8);
            }
        } catch (IOException | RuntimeException e) {
            bands = 4; // a CMYK JPEG or an unusual layout: count it at its largest
        }
        return new ImageHeader(reader.getFormatName().toLowerCase(Locale.ROOT), w, h, Math.max(3, bands), bytes);
    }
}
