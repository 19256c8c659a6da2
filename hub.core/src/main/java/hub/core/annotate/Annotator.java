package hub.core.annotate;

import hub.api.task.Detection;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Draws results on a copy of an image and writes it as PNG: people would rather look than read. */
public final class Annotator {
    private static final Color[] PALETTE = {new Color(0xE6194B), new Color(0x3CB44B), new Color(0x4363D8),
        new Color(0xF58231), new Color(0x911EB4), new Color(0x42D4F4), new Color(0xF032E6), new Color(0xBFEF45)};

    private Annotator() {
    }

    /**
     * @param encoded the image
     * @param detections boxes with labels and scores (text lines and faces are drawn as such boxes too)
     * @param out where the PNG goes
     * @throws IOException when the image cannot be decoded or the PNG written
     */
    public static void detections(byte[] encoded, List<Detection> detections, Path out) throws IOException {
        try (var stream = java.nio.file.Files.newOutputStream(out)) {
            stream.write(png(encoded, detections));
        }
    }

    /**
     * @param encoded the image
     * @param detections boxes with labels and scores
     * @return the image with the boxes drawn, as PNG
     * @throws IOException when the image cannot be decoded
     */
    public static byte[] png(byte[] encoded, List<Detection> detections) throws IOException {
        BufferedImage src = ImageIO.read(new ByteArrayInputStream(encoded));
        if (src == null) {
            throw new IOException("cannot decode the image to draw on");
        }
        BufferedImage img = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.drawImage(src, 0, 0, null);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int stroke = Math.max(2, Math.round(Math.max(img.getWidth(), img.getHeight()) / 300f));
            g.setStroke(new BasicStroke(stroke));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, stroke * 6)));
            for (Detection d : detections) {
                Color c = PALETTE[Math.floorMod(d.classId(), PALETTE.length)];
                int x = Math.round(d.box().x());
                int y = Math.round(d.box().y());
                g.setColor(c);
                g.drawRect(x, y, Math.round(d.box().width()), Math.round(d.box().height()));
                String text = String.format(Locale.ROOT, "%s %.2f", d.label(), d.score());
                int tw = g.getFontMetrics().stringWidth(text) + 6;
                int th = g.getFontMetrics().getHeight();
                int ty = Math.max(0, y - th);
                g.fillRect(x, ty, tw, th);
                g.setColor(Color.WHITE);
                g.drawString(text, x + 3, ty + g.getFontMetrics().getAscent());
            }
        } finally {
            g.dispose();
        }
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", png)) {
            throw new IOException("no PNG writer");
        }
        return png.toByteArray();
    }

    /**
     * @param faces detected faces
     * @return them as labelled boxes
     */
    public static List<Detection> faces(List<hub.api.task.Face> faces) {
        return faces.stream().map(f -> new Detection("face", 0, f.score(), f.box())).toList();
    }

    /**
     * @param lines text lines
     * @return each as a box labelled with its text and confidence, around its polygon
     */
    public static List<Detection> lines(List<hub.api.task.TextLine> lines) {
        return lines.stream().map(Annotator::line).toList();
    }

    private static Detection line(hub.api.task.TextLine l) {
        float x0 = Float.MAX_VALUE;
        float y0 = Float.MAX_VALUE;
        float x1 = -Float.MAX_VALUE;
        float y1 = -Float.MAX_VALUE;
        for (var p : l.polygon()) {
            x0 = Math.min(x0, p.x());
            y0 = Math.min(y0, p.y());
            x1 = Math.max(x1, p.x());
            y1 = Math.max(y1, p.y());
        }
        return new Detection(l.text(), 2, l.confidence(), new hub.api.task.Box(x0, y0, x1 - x0, y1 - y0));
    }
}
