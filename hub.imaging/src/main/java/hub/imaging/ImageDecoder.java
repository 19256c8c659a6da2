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
    /** Whether JPEG decodes through libjpeg-turbo (JNA and {@code libturbojpeg0} present; else ImageIO). */
    static final boolean TURBO = present(() -> TurboJpeg.available()); // a lambda, not a method reference: TurboJpeg links inside the try

    /** Whether PNG decodes through libpng (JNA and {@code libpng16-16} present; else ImageIO). */
    static final boolean PNG = present(() -> LibPng.available());

    /** @return whether a native decoder is there: false also without JNA in this framework */
    private static boolean present(java.util.function.BooleanSupplier available) {
        try {
            return available.getAsBoolean();
        } catch (LinkageError e) {
            return false;
        }
    }

    /** @return which decoder JPEG files go through: {@code libjpeg-turbo} or {@code ImageIO} */
    public static String jpegDecoder() {
        return TURBO ? "libjpeg-turbo" : "ImageIO";
    }

    /** @return which decoder PNG files go through: {@code libpng} or {@code ImageIO} */
    public static String pngDecoder() {
        return PNG ? "libpng" : "ImageIO";
    }

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
        // a JPEG's frame header is found by walking its segments: ImageIO's JPEG reader takes ~3 ms to set itself up
        // for the same answer, on every request
        ImageHeader known = jpegHeader(input.data());
        if (known == null) {
            known = pngHeader(input.data());
        }
        return known != null ? checked(known) : withReader(input, reader -> header(reader));
    }

    /** @return a PNG's header (IHDR, always the first chunk), or null when this is not a PNG */
    static ImageHeader pngHeader(byte[] b) {
        if (b.length < 26 || (b[0] & 0xff) != 0x89 || b[1] != 'P' || b[2] != 'N' || b[3] != 'G'
                || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            return null;
        }
        long width = (b[16] & 0xffL) << 24 | (b[17] & 0xff) << 16 | (b[18] & 0xff) << 8 | b[19] & 0xff;
        long height = (b[20] & 0xffL) << 24 | (b[21] & 0xff) << 16 | (b[22] & 0xff) << 8 | b[23] & 0xff;
        int depth = b[24] & 0xff;
        int bands = switch (b[25] & 0xff) {
            case 4, 6 -> 4; // with alpha
            default -> 3; // grey, colour and palette images become 3 channels
        };
        return new ImageHeader("png", (int) Math.min(Integer.MAX_VALUE, width), (int) Math.min(Integer.MAX_VALUE,
                height), bands, depth > 8 ? 2 : 1);
    }

    /** @return the frame header (SOFn) of a JPEG, or null when this is not a JPEG or its segments do not parse */
    static ImageHeader jpegHeader(byte[] b) {
        if (b.length < 4 || (b[0] & 0xff) != 0xff || (b[1] & 0xff) != 0xd8) {
            return null;
        }
        int i = 2;
        while (i + 3 < b.length) {
            if ((b[i] & 0xff) != 0xff) {
                return null;
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xff) {
                i++; // fill byte
                continue;
            }
            if (marker == 0x01 || marker >= 0xd0 && marker <= 0xd7) {
                i += 2; // no length
                continue;
            }
            int length = (b[i + 2] & 0xff) << 8 | b[i + 3] & 0xff;
            boolean frame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (frame) {
                if (i + 9 >= b.length || length < 8) {
                    return null;
                }
                int precision = b[i + 4] & 0xff;
                int height = (b[i + 5] & 0xff) << 8 | b[i + 6] & 0xff;
                int width = (b[i + 7] & 0xff) << 8 | b[i + 8] & 0xff;
                int components = b[i + 9] & 0xff;
                if (height == 0) {
                    return null; // the height comes later (DNL): let ImageIO read it
                }
                return new ImageHeader("jpeg", width, height, Math.max(3, components), precision > 8 ? 2 : 1);
            }
            if (marker == 0xd9 || marker == 0xda || length < 2) {
                return null; // end of image or start of scan before any frame header
            }
            i += 2 + length;
        }
        return null;
    }

    private static ImageHeader checked(ImageHeader h) {
        if (h.width() <= 0 || h.height() <= 0 || h.width() > MAX_SIDE || h.height() > MAX_SIDE
                || (long) h.width() * h.height() > MAX_PIXELS) {
            throw new IllegalArgumentException("image dimensions " + h.width() + "x" + h.height() + " out of range (at "
                    + "most " + MAX_SIDE + " per side, " + MAX_PIXELS + " pixels)");
        }
        return h;
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
        return decodeScaled(input, minWidth, minHeight).image();
    }

    /**
     * As {@link #decode(ImageInput, int, int)}, with the original size, so that a caller can map what it finds on a
     * subsampled image back to the original's pixels without reading the header again.
     *
     * @param input an encoded image
     * @param minWidth the width the caller needs at least (0: full size)
     * @param minHeight the height the caller needs at least (0: full size)
     * @return the decoded image and the original's width and height
     * @throws IllegalArgumentException as {@link #decode(ImageInput, int, int)}
     */
    public static Decoded decodeScaled(ImageInput input, int minWidth, int minHeight) {
        byte[] b = input.data();
        if (b.length > 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && TURBO) {
            probe(input); // the same limits on dimensions and pixels as every other path
            Decoded d = TurboJpeg.decode(b, minWidth, minHeight, MAX_DECODED_BYTES);
            if (d != null) {
                return d;
            }
        }
        if (PNG && b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            ImageHeader h = probe(input); // the same limits as every other path
            // libpng decodes whole images: a PNG much larger than needed goes to ImageIO, which can skip rows; and
            // its simplified API reads 16-bit samples as linear light and converts them to sRGB, where ImageIO (like
            // OpenCV) keeps the stored values: those go to ImageIO too
            if (subsampling(h.width(), h.height(), minWidth, minHeight) == 1 && h.bytesPerSample() == 1) {
                return LibPng.decode(b, MAX_DECODED_BYTES);
            }
        }
        return imageIo(input, minWidth, minHeight);
    }

    /**
     * ImageIO's decoding, subsampled when the needed size allows: every format, and JPEG without libjpeg-turbo (public
     * so that benchmarks can set it beside libjpeg-turbo).
     *
     * @param input an encoded image
     * @param minWidth the width the caller needs at least (0: full size)
     * @param minHeight the height the caller needs at least (0: full size)
     * @return the decoded image and the original's size
     * @throws IllegalArgumentException as {@link #decode(ImageInput, int, int)}
     */
    public static Decoded imageIo(ImageInput input, int minWidth, int minHeight) {
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
            return new Decoded(image, h.width(), h.height());
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
        checked(new ImageHeader(reader.getFormatName(), w, h, 3, 1));
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
