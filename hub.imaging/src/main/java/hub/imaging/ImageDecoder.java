package hub.imaging;

import hub.api.task.ImageInput;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/** Decodes JPEG, PNG, BMP and GIF, refusing empty, truncated, unknown or absurdly large images with a clear reason. */
public final class ImageDecoder {
    /** Largest width or height accepted. */
    public static final int MAX_SIDE = 20_000;
    /** Largest pixel count accepted. */
    public static final long MAX_PIXELS = 100_000_000L;

    private ImageDecoder() {
    }

    /**
     * @param input an encoded image
     * @return the decoded image
     * @throws IllegalArgumentException naming what is wrong: empty, not an image, bad dimensions, undecodable
     */
    public static BufferedImage decode(ImageInput input) {
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
                // ImageIO decodes a truncated or damaged file "successfully" (grey rest) and only warns: refuse it
                java.util.List<String> warnings = new java.util.ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w <= 0 || h <= 0 || w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS) {
                    throw new IllegalArgumentException("image dimensions " + w + "x" + h + " out of range (at most "
                            + MAX_SIDE + " per side, " + MAX_PIXELS + " pixels)");
                }
                BufferedImage image = JpegFastPath.read(reader);
                if (image == null) {
                    image = reader.read(0);
                }
                if (!warnings.isEmpty()) {
                    throw new IllegalArgumentException("truncated or damaged image: " + warnings.get(0));
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot decode image: " + e.getMessage(), e);
        }
    }
}
