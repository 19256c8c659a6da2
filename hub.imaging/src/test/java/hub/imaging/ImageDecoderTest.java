package hub.imaging;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import hub.api.task.ImageInput;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.Test;

/** The JPEG fast path gives the pixels ImageIO's full path gives, and bad input is still refused. */
public class ImageDecoderTest {
    private static Path images() {
        return Path.of(System.getProperty("hub.test.images", "../../shared/images"));
    }

    /** A grey image's stored values as RGB (getRGB would convert them from Java's linear grey to sRGB). */
    private static BufferedImage storedValues(BufferedImage image) {
        if (image.getType() != BufferedImage.TYPE_BYTE_GRAY && image.getType() != BufferedImage.TYPE_USHORT_GRAY) {
            return image;
        }
        int shift = image.getType() == BufferedImage.TYPE_USHORT_GRAY ? 8 : 0;
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int v = image.getRaster().getSample(x, y, 0) >> shift;
                out.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return out;
    }

    private static void assertSamePixels(String name, BufferedImage expectedImage, BufferedImage actualImage) {
        BufferedImage expected = storedValues(expectedImage);
        BufferedImage actual = storedValues(actualImage);
        assertEquals(expected.getWidth(), actual.getWidth());
        assertEquals(expected.getHeight(), actual.getHeight());
        int w = expected.getWidth();
        int h = expected.getHeight();
        int[] a = expected.getRGB(0, 0, w, h, null, 0, w);
        int[] b = actual.getRGB(0, 0, w, h, null, 0, w);
        long total = 0;
        int worst = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                int d = Math.abs((a[i] >> shift & 0xff) - (b[i] >> shift & 0xff));
                total += d;
                worst = Math.max(worst, d);
            }
        }
        double mean = total / (3.0 * a.length);
        assertTrue(name + ": largest channel difference " + worst, worst <= 3);
        assertTrue(name + ": mean channel difference " + mean, mean < 0.6);
    }

    @Test
    public void realJpegPhotosDecodeAsImageIoDecodesThem() throws Exception {
        for (String name : new String[] {"dog.jpg", "person.jpg", "horses.jpg"}) {
            Path p = images().resolve(name);
            assumeTrue("skipped: test photo not found: " + p, Files.isRegularFile(p));
            byte[] data = Files.readAllBytes(p);
            BufferedImage fast = ImageDecoder.decode(new ImageInput(name, data));
            assertEquals("the fast path took it", BufferedImage.TYPE_3BYTE_BGR, fast.getType());
            assertSamePixels(name, ImageIO.read(new ByteArrayInputStream(data)), fast);
        }
    }

    @Test
    public void greyAndGeneratedJpegsToo() throws Exception {
        for (int type : new int[] {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_INT_RGB}) {
            BufferedImage img = new BufferedImage(97, 61, type);
            Graphics2D g = img.createGraphics();
            for (int i = 0; i < 60; i++) {
                g.setColor(new Color(Color.HSBtoRGB(i / 60f, 0.8f, 0.5f + i / 130f)));
                g.fillOval(i, i / 2, 30, 20);
            }
            g.dispose();
            ByteArrayOutputStream jpg = new ByteArrayOutputStream();
            ImageIO.write(img, "jpg", jpg);
            BufferedImage fast = ImageDecoder.decode(new ImageInput("generated.jpg", jpg.toByteArray()));
            assertSamePixels("type " + type, ImageIO.read(new ByteArrayInputStream(jpg.toByteArray())), fast);
        }
    }

    @Test
    public void truncatedEmptyAndForeignInputIsRefused() throws Exception {
        Path p = images().resolve("dog.jpg");
        assumeTrue("skipped: test photo not found: " + p, Files.isRegularFile(p));
        byte[] data = Files.readAllBytes(p);
        IllegalArgumentException cut = assertThrows(IllegalArgumentException.class,
                () -> ImageDecoder.decode(new ImageInput("cut.jpg", Arrays.copyOf(data, data.length / 2))));
        assertTrue(cut.getMessage(), cut.getMessage().contains("truncated or damaged"));
        assertEquals("empty image", assertThrows(IllegalArgumentException.class,
                () -> ImageDecoder.decode(new ImageInput("e", new byte[0]))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageDecoder.decode(new ImageInput("t",
                "hello".getBytes()))).getMessage().startsWith("not an image"));
    }

    @Test
    public void theHeaderOfAJpegIsReadWithoutImageIoAndAgreesWithIt() throws Exception {
        Path dir = images();
        assumeTrue("skipped: test photos not found at " + dir, Files.isDirectory(dir));
        for (String name : new String[] {"dog.jpg", "horses.jpg", "person.jpg"}) {
            byte[] data = Files.readAllBytes(dir.resolve(name));
            ImageHeader fast = ImageDecoder.jpegHeader(data);
            BufferedImage full = ImageIO.read(new ByteArrayInputStream(data));
            assertEquals(name, full.getWidth(), fast.width());
            assertEquals(name, full.getHeight(), fast.height());
            assertEquals(name, 3, fast.bands());
            assertEquals(name, fast, ImageDecoder.probe(new ImageInput(name, data)));
        }
        ByteArrayOutputStream grey = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(31, 17, BufferedImage.TYPE_BYTE_GRAY), "jpg", grey);
        ImageHeader g = ImageDecoder.jpegHeader(grey.toByteArray());
        assertEquals(31, g.width());
        assertEquals(17, g.height());
        assertEquals(null, ImageDecoder.jpegHeader(new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> ImageDecoder.probe(new ImageInput("t", new byte[] {
            (byte) 0xff, (byte) 0xd8, 1, 2, 3})));
    }

    @Test
    public void aLargeImageIsDecodedSubsampledToAtLeastTheSizeAsked() throws Exception {
        BufferedImage big = new BufferedImage(4000, 3000, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = big.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(2000, 1500, 400, 300);
        g.dispose();
        for (String format : new String[] {"jpg", "png"}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(big, format, out);
            Decoded d = ImageDecoder.decodeScaled(new ImageInput("big." + format, out.toByteArray()), 640, 640);
            assertEquals(format, 4000, d.width());
            assertEquals(format, 3000, d.height());
            assertTrue(format + " " + d.image().getWidth(), d.image().getWidth() >= 640 && d.image().getHeight() >= 640
                    && d.image().getWidth() <= 1000);
            // the red block sits where it was, in original pixels
            int x = Math.round(2200 / d.scaleX());
            int y = Math.round(1650 / d.scaleY());
            Color c = new Color(d.image().getRGB(x, y));
            assertTrue(format + " " + c, c.getRed() > 200 && c.getGreen() < 60);
            assertEquals(1, ImageDecoder.decodeScaled(new ImageInput("big", out.toByteArray()), 0, 0).scaleX(), 0);
        }
    }

    @Test
    public void pngsDecodeThroughLibpngAsImageIoDecodesThem() throws Exception {
        assumeTrue("skipped: libpng (libpng16-16) or JNA not found; PNG decodes through ImageIO", ImageDecoder.PNG);
        assertEquals("libpng", ImageDecoder.pngDecoder());
        for (String name : new String[] {"astronaut.png", "chelsea.png", "coffee.png", "camera.png"}) {
            Path p = images().resolve(name);
            assumeTrue("skipped: test image not found: " + p, Files.isRegularFile(p));
            byte[] data = Files.readAllBytes(p);
            BufferedImage fast = ImageDecoder.decode(new ImageInput(name, data));
            assertEquals(BufferedImage.TYPE_3BYTE_BGR, fast.getType());
            assertSamePixels(name, ImageIO.read(new ByteArrayInputStream(data)), fast);
            ImageHeader h = ImageDecoder.pngHeader(data);
            assertEquals(name, fast.getWidth(), h.width());
            assertEquals(name, fast.getHeight(), h.height());
        }
        // grey, 16-bit and palette images come out as 8-bit BGR with the same pixels
        for (int type : new int[] {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY,
            BufferedImage.TYPE_BYTE_INDEXED}) {
            BufferedImage img = new BufferedImage(53, 29, type);
            Graphics2D g = img.createGraphics();
            g.setColor(Color.ORANGE);
            g.fillOval(3, 2, 40, 20);
            g.dispose();
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(img, "png", png);
            assertSamePixels("type " + type, ImageIO.read(new ByteArrayInputStream(png.toByteArray())),
                    ImageDecoder.decode(new ImageInput("t.png", png.toByteArray())));
        }
    }

    @Test
    public void aTransparentPngIsOverWhiteAndADamagedOneIsRefused() throws Exception {
        assumeTrue("skipped: libpng (libpng16-16) or JNA not found; PNG decodes through ImageIO", ImageDecoder.PNG);
        BufferedImage clear = new BufferedImage(20, 10, BufferedImage.TYPE_INT_ARGB);
        clear.setRGB(5, 5, 0xff102030);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(clear, "png", png);
        BufferedImage d = ImageDecoder.decode(new ImageInput("clear.png", png.toByteArray()));
        assertEquals(0xffffff, d.getRGB(0, 0) & 0xffffff);
        assertEquals(0x102030, d.getRGB(5, 5) & 0xffffff);
        byte[] data = png.toByteArray();
        IllegalArgumentException cut = assertThrows(IllegalArgumentException.class,
                () -> ImageDecoder.decode(new ImageInput("cut.png", Arrays.copyOf(data, data.length - 20))));
        assertTrue(cut.getMessage(), cut.getMessage().startsWith("truncated or damaged image"));
        byte[] bad = data.clone();
        bad[bad.length - 30] ^= 0x55; // inside the image data: its checksum no longer matches
        IllegalArgumentException damaged = assertThrows(IllegalArgumentException.class,
                () -> ImageDecoder.decode(new ImageInput("bad.png", bad)));
        assertTrue(damaged.getMessage(), damaged.getMessage().contains("image"));
    }
}
