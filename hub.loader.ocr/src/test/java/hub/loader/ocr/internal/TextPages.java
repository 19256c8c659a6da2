package hub.loader.ocr.internal;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test pages drawn with java.awt: lines of English words in a font and size, optionally in two columns, turned by an
 * angle, blurred, unevenly lit and noisy, as a photographed page is; each page knows its lines in reading order.
 * Seeded, so every run draws the same pages.
 */
final class TextPages {
    /** Words the lines are made of: common English, capitals, digits, short and long. */
    private static final String[] WORDS = ("the model serves images from a camera and finds every person in the frame "
            + "while text on each page is read back line by line Vision Hub loads 12 models at 4 times the speed of "
            + "light bundles start stop and update without a restart Open Inference Protocol clients send 2026 tensors "
            + "quick brown fox jumps over lazy dog markers are pixels that we can label background foreground shading "
            + "noise blur tilted paper book scanner photo office window river mountain garden 48 height width "
            + "Monday July London Paris memory cache download checksum verified runtime session").split(" ");

    /**
     * A page and what it says.
     *
     * @param name the case's name
     * @param image the drawn page
     * @param lines its lines in reading order (column by column)
     */
    record Page(String name, BufferedImage image, List<String> lines) {
    }

    private TextPages() {
    }

    /**
     * @param name the page's name
     * @param seed the words' and the noise's seed
     * @param font a font family
     * @param size the font's size in pixels
     * @param lines lines per column
     * @param columns 1 or 2 columns
     * @param degrees the page's turn (positive: clockwise)
     * @param degraded blur, uneven light and noise as a photograph has
     * @return the page
     */
    static Page page(String name, long seed, String font, int size, int lines, int columns, double degrees,
            boolean degraded) {
        Random random = new Random(seed);
        Font f = new Font(font, Font.PLAIN, size);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(f);
        pg.dispose();
        int columnWidth = columns == 1 ? 34 * size : 15 * size;
        List<List<String>> text = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            List<String> column = new ArrayList<>();
            for (int l = 0; l < lines; l++) {
                StringBuilder line = new StringBuilder(WORDS[random.nextInt(WORDS.length)]);
                while (true) {
                    String w = WORDS[random.nextInt(WORDS.length)];
                    if (fm.stringWidth(line + " " + w) > columnWidth) {
                        break;
                    }
                    line.append(' ').append(w);
                }
                column.add(line.toString());
            }
            text.add(column);
        }
        int gap = 3 * size;
        int lineHeight = size * 9 / 5;
        int margin = 2 * size + (int) Math.ceil(Math.abs(Math.sin(Math.toRadians(degrees))) * columns * columnWidth / 2);
        int width = columns * columnWidth + (columns - 1) * gap + 2 * 2 * size;
        int height = lines * lineHeight + 2 * margin;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.transform(AffineTransform.getRotateInstance(Math.toRadians(degrees), width / 2.0, height / 2.0));
        g.setColor(degraded ? new Color(30, 30, 40) : Color.BLACK);
        g.setFont(f);
        List<String> reading = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            int x = 2 * size + c * (columnWidth + gap);
            for (int l = 0; l < lines; l++) {
                g.drawString(text.get(c).get(l), x, margin + l * lineHeight + fm.getAscent());
            }
            reading.addAll(text.get(c));
        }
        g.dispose();
        if (degraded) {
            img = degrade(img, random);
        }
        return new Page(name, img, reading);
    }

    /** A light blur, light falling off across the page with a darker patch, and sensor noise. */
    private static BufferedImage degrade(BufferedImage img, Random random) {
        float[] k = {1 / 16f, 2 / 16f, 1 / 16f, 2 / 16f, 4 / 16f, 2 / 16f, 1 / 16f, 2 / 16f, 1 / 16f};
        BufferedImage blurred = new ConvolveOp(new Kernel(3, 3, k), ConvolveOp.EDGE_NO_OP, null).filter(img, null);
        int w = blurred.getWidth();
        int h = blurred.getHeight();
        double sx = random.nextDouble() * w;
        double sy = random.nextDouble() * h;
        double r = Math.max(w, h) / 2.5;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // light: 1.0 at the left edge down to 0.7 at the right, times a soft shadow down to 0.75
                double light = (1 - 0.3 * x / w) * (1 - 0.25 * Math.exp(-((x - sx) * (x - sx) + (y - sy) * (y - sy)) / (r * r)));
                int p = blurred.getRGB(x, y);
                int rr = noisy(((p >> 16) & 0xff) * light, random);
                int gg = noisy(((p >> 8) & 0xff) * light, random);
                int bb = noisy((p & 0xff) * light * 0.95, random);
                out.setRGB(x, y, rr << 16 | gg << 8 | bb);
            }
        }
        return out;
    }

    private static int noisy(double v, Random random) {
        return (int) Math.max(0, Math.min(255, Math.round(v + random.nextGaussian() * 10)));
    }
}
