package hub.imaging;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import hub.api.task.ImageInput;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;

/** libjpeg-turbo against ImageIO on the same files: the same pixels within a small tolerance, and scaled decoding. */
public class TurboJpegTest {
    private static Path images() {
        return Path.of(System.getProperty("hub.test.images", "../../shared/images"));
    }

    @Before
    public void needsTheLibrary() {
        Assume.assumeTrue("skipped: libjpeg-turbo (Debian's libturbojpeg0) not installed", TurboJpeg.available());
        Assume.assumeTrue("skipped: test photos not found at " + images(), Files.isRegularFile(images().resolve("dog.jpg")));
    }

    private static BufferedImage imageIo(byte[] b) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(b));
    }

    /** Mean and largest absolute difference of the RGB samples of two images of one size. */
    private static double[] difference(BufferedImage a, BufferedImage b) {
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        long sum = 0;
        int max = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) {
                    int d = Math.abs((p >> s & 0xff) - (q >> s & 0xff));
                    sum += d;
                    max = Math.max(max, d);
                }
            }
        }
        return new double[] {(double) sum / (3.0 * a.getWidth() * a.getHeight()), max};
    }

    @Test
    public void fullSizeDecodingMatchesImageIoWithinASmallTolerance() throws IOException {
        for (String name : new String[] {"dog.jpg", "horses.jpg", "person.jpg"}) {
            Path f = images().resolve(name);
            if (!Files.isRegularFile(f)) {
                continue;
            }
            byte[] b = Files.readAllBytes(f);
            Decoded turbo = TurboJpeg.decode(b, 0, 0, ImageDecoder.MAX_DECODED_BYTES);
            BufferedImage reference = imageIo(b);
            double[] d = difference(turbo.image(), reference);
            assertTrue(name + ": mean difference " + d[0], d[0] < 1.0);
            assertTrue(name + ": largest difference " + d[1], d[1] <= 32);
            assertEquals(reference.getWidth(), turbo.width());
            assertEquals(BufferedImage.TYPE_3BYTE_BGR, turbo.image().getType());
        }
    }

    @Test
    public void aSmallerTargetDecodesAtTheLargestReductionThatStillCoversIt() throws IOException {
        byte[] b = Files.readAllBytes(images().resolve("dog.jpg"));
        BufferedImage full = imageIo(b);
        // 224x224 from a 768x576 image: 1/2 (384x288), since 3/8 would give 216 rows
        assertArrayEquals(new int[] {1, 2}, TurboJpeg.factor(768, 576, 224, 224));
        assertArrayEquals(new int[] {1, 8}, TurboJpeg.factor(4000, 3000, 320, 320));
        assertArrayEquals(new int[] {1, 1}, TurboJpeg.factor(640, 480, 640, 640));
        Decoded half = ImageDecoder.decodeScaled(new ImageInput("dog.jpg", b), 224, 224);
        int[] f = TurboJpeg.factor(full.getWidth(), full.getHeight(), 224, 224);
        assertEquals(TurboJpeg.scaled(full.getWidth(), f), half.image().getWidth());
        assertTrue(half.image().getWidth() >= 224 && half.image().getHeight() >= 224);
        assertEquals(full.getWidth(), half.width());
        assertEquals((float) full.getWidth() / half.image().getWidth(), half.scaleX(), 1e-6);
        // the scaled pixels are the full image's, averaged: compare with a smooth downscale of ImageIO's decode
        BufferedImage shrunk = new BufferedImage(half.image().getWidth(), half.image().getHeight(),
                BufferedImage.TYPE_3BYTE_BGR);
        var g = shrunk.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(full.getScaledInstance(shrunk.getWidth(), shrunk.getHeight(), java.awt.Image.SCALE_AREA_AVERAGING),
                0, 0, null);
        g.dispose();
        double[] d = difference(half.image(), shrunk);
        assertTrue("scaled decode differs from a downscaled full decode by " + d[0] + " on average", d[0] < 6);
    }

    @Test
    public void aTruncatedFileIsRefusedAsOnTheImageIoPath() throws IOException {
        byte[] b = Files.readAllBytes(images().resolve("dog.jpg"));
        byte[] cut = Arrays.copyOf(b, b.length / 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageDecoder.decode(new ImageInput("cut.jpg", cut)));
        assertTrue(e.getMessage(), e.getMessage().startsWith("truncated or damaged image"));
    }

    @Test
    public void theDecoderInUseIsNamed() {
        assertEquals("libjpeg-turbo", ImageDecoder.jpegDecoder());
    }
}
