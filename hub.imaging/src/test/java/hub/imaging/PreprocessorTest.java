package hub.imaging;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import hub.api.task.ImageInput;
import hub.imaging.Preprocessor.Channels;
import hub.imaging.Preprocessor.Fit;
import hub.imaging.Preprocessor.Layout;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.Test;

public class PreprocessorTest {
    private static BufferedImage noise(int w, int h, int type, long seed) {
        BufferedImage img = new BufferedImage(w, h, type);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, 0xff000000 | r.nextInt(0x1000000));
            }
        }
        return img;
    }

    private static BufferedImage copy(BufferedImage src, int type) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), type);
        Graphics2D g = out.createGraphics();
        g.drawImage(src, 0, 0, null);
        g.dispose();
        return out;
    }

    private static float[] run(Preprocessor p, BufferedImage img) {
        FloatBuffer out = FloatBuffer.allocate(p.size());
        p.write(img, out, 0);
        float[] a = new float[p.size()];
        out.get(0, a);
        return a;
    }

    @Test
    public void letterboxPlacesScalesAndPadsLikeYolo() {
        Preprocessor p = Preprocessor.builder(64, 64).fit(Fit.LETTERBOX).padPixel(114).build();
        BufferedImage img = new BufferedImage(200, 100, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(255, 0, 51));
        g.fillRect(0, 0, 200, 100);
        g.dispose();
        float[] t = run(p, img);
        assertEquals(new Placement(0, 16, 64, 32, 200, 100), p.place(200, 100));
        int plane = 64 * 64;
        assertEquals(114 / 255f, t[0], 1e-6); // top pad, red plane
        assertEquals(114 / 255f, t[2 * plane + 63 * 64 + 63], 1e-6); // bottom pad, blue plane
        assertEquals(1f, t[20 * 64 + 5], 1e-6); // red inside
        assertEquals(0f, t[plane + 20 * 64 + 5], 1e-6); // green
        assertEquals(51 / 255f, t[2 * plane + 47 * 64 + 63], 1e-6); // blue, last row of the image
        assertEquals(10f, p.place(200, 100).sourceX(3.2f), 1e-4);
        assertEquals(50f, p.place(200, 100).sourceY(32f), 1e-4);
    }

    @Test
    public void everyPixelLayoutGivesTheSameTensor() {
        BufferedImage rgb = noise(97, 61, BufferedImage.TYPE_INT_RGB, 1);
        Preprocessor p = Preprocessor.builder(40, 40).fit(Fit.LETTERBOX).padPixel(114).build();
        float[] expected = run(p, rgb);
        assertArrayEquals(expected, run(p, copy(rgb, BufferedImage.TYPE_3BYTE_BGR)), 1e-5f);
        assertArrayEquals(expected, run(p, copy(rgb, BufferedImage.TYPE_INT_ARGB)), 1e-5f);
        assertArrayEquals(expected, run(p, copy(rgb, BufferedImage.TYPE_INT_BGR)), 1e-5f); // converted once
        assertArrayEquals(expected, run(p, copy(rgb, BufferedImage.TYPE_4BYTE_ABGR)), 1e-5f);
        // a sub-image shares its parent's pixels: the same as writing that region of the parent
        BufferedImage big = noise(300, 200, BufferedImage.TYPE_3BYTE_BGR, 2);
        Rectangle r = new Rectangle(31, 17, 97, 61);
        FloatBuffer viaRegion = FloatBuffer.allocate(p.size());
        p.write(big, r, false, viaRegion, 0);
        float[] a = new float[p.size()];
        viaRegion.get(0, a);
        assertArrayEquals(run(p, big.getSubimage(31, 17, 97, 61)), a, 0f);
        assertArrayEquals(run(p, copy(big.getSubimage(31, 17, 97, 61), BufferedImage.TYPE_INT_RGB)), a, 1e-5f);
        BufferedImage intBig = copy(big, BufferedImage.TYPE_INT_RGB);
        assertArrayEquals(a, run(p, intBig.getSubimage(31, 17, 97, 61)), 1e-5f);
    }

    @Test
    public void transparentPixelsAreWhiteAndGreyImagesHaveThreeEqualChannels() {
        BufferedImage clear = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB); // all transparent
        float[] t = run(Preprocessor.builder(8, 8).build(), clear);
        for (float v : t) {
            assertEquals(1f, v, 1e-6);
        }
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(3, 3, 0, 200);
        float[] g = run(Preprocessor.builder(8, 8).build(), grey);
        assertEquals(200 / 255f, g[3 * 8 + 3], 1e-6);
        assertEquals(200 / 255f, g[64 + 3 * 8 + 3], 1e-6);
        assertEquals(200 / 255f, g[128 + 3 * 8 + 3], 1e-6);
    }

    @Test
    public void channelsMeanStdAndLayout() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x102030);
        img.setRGB(1, 0, 0x405060);
        Preprocessor bgr = Preprocessor.builder(2, 1).channels(Channels.BGR).scale(1).mean(1, 2, 3).std(2, 4, 8).build();
        assertArrayEquals(new float[] {(0x30 - 1) / 2f, (0x60 - 1) / 2f, (0x20 - 2) / 4f, (0x50 - 2) / 4f,
            (0x10 - 3) / 8f, (0x40 - 3) / 8f}, run(bgr, img), 1e-5f);
        Preprocessor nhwc = Preprocessor.builder(2, 1).layout(Layout.NHWC).scale(1).build();
        assertArrayEquals(new float[] {0x10, 0x20, 0x30, 0x40, 0x50, 0x60}, run(nhwc, img), 1e-5f);
        assertArrayEquals(new long[] {4, 1, 2, 3}, nhwc.shape(4));
        Preprocessor grey = Preprocessor.builder(2, 1).channels(Channels.GREY).scale(1).build();
        assertEquals(1, grey.channelCount());
        assertEquals(0.299f * 0x10 + 0.587f * 0x20 + 0.114f * 0x30, run(grey, img)[0], 1e-3);
    }

    @Test
    public void cropAndHeightPlacements() {
        Preprocessor crop = Preprocessor.builder(224, 224).fit(Fit.CROP).resize(256).build();
        Placement c = crop.place(768, 576);
        assertEquals(new Placement((224 - 341) / 2, (224 - 256) / 2, 341, 256, 768, 576), c);
        Preprocessor line = Preprocessor.builder(192, 48).fit(Fit.HEIGHT).padValue(0).build();
        assertEquals(new Placement(0, 0, 120, 48, 100, 40), line.place(100, 40));
        assertEquals(new Placement(0, 0, 192, 48, 1000, 40), line.place(1000, 40)); // at most the canvas
        BufferedImage white = new BufferedImage(100, 40, BufferedImage.TYPE_INT_RGB);
        white.getGraphics().fillRect(0, 0, 100, 40);
        float[] t = run(Preprocessor.builder(192, 48).fit(Fit.HEIGHT).mean(0.5f).std(0.5f).padValue(0).build(), white);
        assertEquals(1f, t[119], 1e-6);
        assertEquals(0f, t[120], 0f); // the pad, as is
    }

    @Test
    public void rotatingARegionEqualsWritingTheTurnedImage() {
        BufferedImage img = noise(50, 20, BufferedImage.TYPE_3BYTE_BGR, 3);
        BufferedImage turned = new BufferedImage(50, 20, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 50; x++) {
                turned.setRGB(49 - x, 19 - y, img.getRGB(x, y));
            }
        }
        Preprocessor p = Preprocessor.builder(37, 16).build();
        FloatBuffer out = FloatBuffer.allocate(p.size());
        p.write(img, null, true, out, 0);
        float[] a = new float[p.size()];
        out.get(0, a);
        assertArrayEquals(run(p, turned), a, 1e-5f);
    }

    @Test
    public void warpWithTheIdentityCopiesAndOutsideIsPadded() {
        BufferedImage img = noise(16, 16, BufferedImage.TYPE_INT_RGB, 4);
        Preprocessor p = Preprocessor.builder(16, 16).padValue(-7).build();
        FloatBuffer out = FloatBuffer.allocate(p.size());
        p.warp(img, new AffineTransform(), out, 0);
        float[] a = new float[p.size()];
        out.get(0, a);
        assertArrayEquals(run(p, img), a, 1e-5f);
        p.warp(img, AffineTransform.getTranslateInstance(8, 0), out, 0);
        out.get(0, a);
        assertEquals(-7f, a[0], 0f); // left half is outside the image now
        assertEquals((img.getRGB(0, 0) >> 16 & 0xff) / 255f, a[8], 1e-5);
    }

    @Test
    public void batchesWriteAtTheirOffsetIntoDirectBuffers() {
        Preprocessor p = Preprocessor.builder(8, 8).build();
        FloatBuffer direct = Preprocessor.allocate(3 * p.size());
        BufferedImage img = noise(8, 8, BufferedImage.TYPE_INT_RGB, 5);
        p.write(img, direct, 2 * p.size());
        float[] a = new float[p.size()];
        direct.get(2 * p.size(), a);
        assertArrayEquals(run(p, img), a, 0f);
        assertEquals(0, direct.position());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.write(img, direct, 3 * p.size()));
        assertTrue(e.getMessage(), e.getMessage().contains("does not fit"));
    }

    @Test
    public void closeToJava2dBilinearOnARealPhoto() throws Exception {
        Path dog = Path.of(System.getProperty("hub.test.images", "../../shared/images")).resolve("dog.jpg");
        BufferedImage img = Files.isRegularFile(dog) ? ImageDecoder.decode(new ImageInput("dog", Files.readAllBytes(dog)))
                : noise(768, 576, BufferedImage.TYPE_3BYTE_BGR, 6);
        BufferedImage scaled = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, 320, 240, null);
        g.dispose();
        Preprocessor p = Preprocessor.builder(320, 240).scale(1).build();
        float[] t = run(p, img);
        double sum = 0;
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                int px = scaled.getRGB(x, y);
                sum += Math.abs(t[y * 320 + x] - (px >> 16 & 0xff)) + Math.abs(t[76800 + y * 320 + x] - (px >> 8 & 0xff))
                        + Math.abs(t[2 * 76800 + y * 320 + x] - (px & 0xff));
            }
        }
        double mean = sum / (3 * 76800);
        assertTrue("mean difference to Java2D's bilinear " + mean, mean < 3);
    }

    @Test
    public void eightBitInputKeepsThePixelsAsTheyAre() {
        BufferedImage img = noise(9, 5, BufferedImage.TYPE_INT_RGB, 7);
        Preprocessor raw = Preprocessor.builder(9, 5).layout(Layout.NHWC).scale(1).build();
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocateDirect(raw.size());
        raw.writeBytes(img, out, 0);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 9; x++) {
                int p = img.getRGB(x, y);
                int at = (y * 9 + x) * 3;
                assertEquals(p >> 16 & 0xff, out.get(at) & 0xff);
                assertEquals(p >> 8 & 0xff, out.get(at + 1) & 0xff);
                assertEquals(p & 0xff, out.get(at + 2) & 0xff);
            }
        }
        assertThrows(IllegalStateException.class, () -> Preprocessor.builder(9, 5).build().writeBytes(img, out, 0));
    }
}
