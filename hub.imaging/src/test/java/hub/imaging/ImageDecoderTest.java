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

    private static void assertSamePixels(String name, BufferedImage expected, BufferedImage actual) {
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
}
