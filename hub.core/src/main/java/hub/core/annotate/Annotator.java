package hub.core.annotate;

import hub.api.task.Box;
import hub.api.task.Detection;
import hub.api.task.Face;
import hub.api.task.Point;
import hub.api.task.TextLine;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws results on a copy of an image and writes it as PNG: people would rather look than read. Each mark gets a
 * colour of its own; labels are placed where they hide no other label and stay inside the image (above the box,
 * else below, inside, or the nearest free place); faces show their five landmarks; a text line's text is written
 * beside the line, not over it.
 */
public final class Annotator {
    /** Distinct colours (Sasha Trubetskoy's list), one per mark in turn. */
    private static final Color[] PALETTE = {new Color(0xE6194B), new Color(0x3CB44B), new Color(0x4363D8),
        new Color(0xF58231), new Color(0x911EB4), new Color(0x42D4F4), new Color(0xF032E6), new Color(0xBFEF45),
        new Color(0xFABED4), new Color(0x469990), new Color(0xDCBEFF), new Color(0x9A6324), new Color(0xFFE119),
        new Color(0x800000), new Color(0xAAFFC3), new Color(0x808000), new Color(0xFFD8B1), new Color(0x000075),
        new Color(0xA9A9A9), new Color(0x00FFFF)};
    private static final Color[] LANDMARKS = {new Color(0x00FF00), new Color(0x00FF00), new Color(0xFFFF00),
        new Color(0xFF00FF), new Color(0xFF00FF)};

    private Annotator() {
    }

    /** How marks are drawn. */
    public enum Style {
        /** Boxes with a label each (detections). */
        BOXES,
        /** Boxes with their landmarks (faces). */
        FACES,
        /** Polygons with their text written beside them (OCR). */
        TEXT
    }

    /**
     * One thing to draw.
     *
     * @param label its label
     * @param box its bounding box
     * @param points landmarks (faces), or empty
     * @param polygon its outline (text lines), or empty
     */
    public record Mark(String label, Box box, List<Point> points, List<Point> polygon) {
        /** Copies the lists. */
        public Mark {
            points = List.copyOf(points);
            polygon = List.copyOf(polygon);
        }
    }

    /**
     * Where a label went.
     *
     * @param text what it says (shortened to fit the image)
     * @param x left
     * @param y top
     * @param width width
     * @param height height
     */
    public record Label(String text, int x, int y, int width, int height) {
        /**
         * @param o another label
         * @return whether the two overlap
         */
        public boolean overlaps(Label o) {
            return x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height;
        }
    }

    /**
     * The drawn image and where its labels are.
     *
     * @param image the image with the marks drawn
     * @param labels the labels placed, in mark order (a label with no room at all is left out)
     */
    public record Drawing(BufferedImage image, List<Label> labels) {
    }

    /**
     * @param detections detected objects
     * @return them as marks labelled with class and score
     */
    public static List<Mark> detections(List<Detection> detections) {
        return detections.stream().map(d -> new Mark(String.format(Locale.ROOT, "%s %.2f", d.label(), d.score()),
                d.box(), List.of(), List.of())).toList();
    }

    /**
     * @param faces detected faces
     * @return them as marks with their landmarks
     */
    public static List<Mark> faces(List<Face> faces) {
        return faces.stream().map(f -> new Mark(String.format(Locale.ROOT, "face %.2f", f.score()), f.box(),
                f.landmarks() == null ? List.of() : f.landmarks(), List.of())).toList();
    }

    /**
     * @param lines text lines
     * @return them as marks with their polygon, labelled with their text
     */
    public static List<Mark> lines(List<TextLine> lines) {
        return lines.stream().map(l -> new Mark(l.text(), bounds(l.polygon()), List.of(), l.polygon())).toList();
    }

    /**
     * @param encoded the image
     * @param marks what to draw
     * @param style how
     * @return the image with the marks drawn, as PNG
     * @throws IOException when the image cannot be decoded
     */
    public static byte[] png(byte[] encoded, List<Mark> marks, Style style) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(draw(decode(encoded), marks, style).image(), "png", png)) {
            throw new IOException("no PNG writer");
        }
        return png.toByteArray();
    }

    /**
     * @param encoded the image
     * @param marks what to draw
     * @param style how
     * @param out where the PNG goes
     * @throws IOException when the image cannot be decoded or the PNG written
     */
    public static void write(byte[] encoded, List<Mark> marks, Style style, Path out) throws IOException {
        Files.write(out, png(encoded, marks, style));
    }

    private static BufferedImage decode(byte[] encoded) throws IOException {
        BufferedImage src = ImageIO.read(new ByteArrayInputStream(encoded));
        if (src == null) {
            throw new IOException("cannot decode the image to draw on");
        }
        return src;
    }

    /**
     * Draws marks on a copy of an image.
     *
     * @param src the image
     * @param marks what to draw
     * @param style how
     * @return the drawing and its label placement
     */
    public static Drawing draw(BufferedImage src, List<Mark> marks, Style style) {
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        List<Label> placed = new ArrayList<>();
        List<Label> inOrder = new ArrayList<>();
        try {
            g.drawImage(src, 0, 0, null);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            int stroke = Math.max(2, Math.round(Math.max(w, h) / 400f));
            g.setStroke(new BasicStroke(stroke));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(11, Math.min(28, Math.round(Math.max(w, h) / 45f)))));
            FontMetrics fm = g.getFontMetrics();
            List<Rectangle> boxes = marks.stream().map(m -> rect(m.box())).toList();
            for (int i = 0; i < marks.size(); i++) {
                Mark m = marks.get(i);
                Color c = PALETTE[i % PALETTE.length];
                g.setColor(c);
                if (style == Style.TEXT && m.polygon().size() >= 3) {
                    Path2D.Float p = new Path2D.Float();
                    p.moveTo(m.polygon().get(0).x(), m.polygon().get(0).y());
                    m.polygon().subList(1, m.polygon().size()).forEach(q -> p.lineTo(q.x(), q.y()));
                    p.closePath();
                    g.draw(p);
                } else {
                    Rectangle r = boxes.get(i);
                    g.drawRect(r.x, r.y, r.width, r.height);
                }
                if (style == Style.FACES) {
                    int dot = Math.max(3, stroke * 2);
                    for (int k = 0; k < m.points().size(); k++) {
                        Point p = m.points().get(k);
                        g.setColor(LANDMARKS[k % LANDMARKS.length]);
                        g.fillOval(Math.round(p.x()) - dot / 2, Math.round(p.y()) - dot / 2, dot, dot);
                    }
                }
            }
            for (int i = 0; i < marks.size(); i++) {
                Label l = place(marks.get(i).label(), boxes.get(i), i, boxes, placed, fm, w, h, style);
                inOrder.add(l);
                if (l == null) {
                    continue;
                }
                placed.add(l);
                Color c = PALETTE[i % PALETTE.length];
                g.setColor(c);
                g.fillRect(l.x(), l.y(), l.width(), l.height());
                g.setColor(luminance(c) > 0.6 ? Color.BLACK : Color.WHITE);
                g.drawString(l.text(), l.x() + 3, l.y() + 1 + fm.getAscent());
            }
        } finally {
            g.dispose();
        }
        return new Drawing(img, inOrder.stream().filter(l -> l != null).toList());
    }

    /**
     * Finds a place for a label: the preferred spots for the style first (next to its own mark), then a scan of the
     * image; a spot must be inside the image and clear of every label placed so far, and preferably clear of the
     * other marks too.
     */
    static Label place(String text, Rectangle own, int index, List<Rectangle> boxes, List<Label> placed,
            FontMetrics fm, int w, int h, Style style) {
        String t = fit(text, fm, w - 6);
        if (t.isEmpty()) {
            return null;
        }
        int lw = fm.stringWidth(t) + 6;
        int lh = fm.getHeight() + 2;
        if (lw > w || lh > h) {
            return null;
        }
        List<int[]> spots = new ArrayList<>();
        int gap = 3;
        if (style == Style.TEXT) {
            int cy = own.y + own.height / 2 - lh / 2;
            spots.add(new int[] {own.x + own.width + gap, cy});
            spots.add(new int[] {own.x - lw - gap, cy});
            spots.add(new int[] {own.x, own.y + own.height + gap});
            spots.add(new int[] {own.x, own.y - lh - gap});
        } else {
            spots.add(new int[] {own.x, own.y - lh});
            spots.add(new int[] {own.x, own.y + own.height});
            spots.add(new int[] {own.x, own.y});
            spots.add(new int[] {own.x + own.width - lw, own.y - lh});
            spots.add(new int[] {own.x + own.width - lw, own.y + own.height});
            spots.add(new int[] {own.x, own.y + own.height - lh});
        }
        Label fallback = null;
        for (int pass = 0; pass < 2; pass++) {
            List<int[]> candidates = pass == 0 ? spots : scan(spots.get(0), lw, lh, w, h);
            for (int[] s : candidates) {
                Label l = new Label(t, clamp(s[0], 0, w - lw), clamp(s[1], 0, h - lh), lw, lh);
                if (placed.stream().anyMatch(l::overlaps)) {
                    continue;
                }
                if (style == Style.TEXT && intersects(l, own)) {
                    continue; // beside its line, never over it
                }
                boolean clear = true;
                for (int j = 0; j < boxes.size() && clear; j++) {
                    clear = j == index || !intersects(l, boxes.get(j));
                }
                if (clear) {
                    return l;
                }
                if (fallback == null) {
                    fallback = l;
                }
            }
            if (fallback != null) {
                return fallback;
            }
        }
        return null;
    }

    /** Spots around a preferred one, nearest first, covering the whole image. */
    private static List<int[]> scan(int[] from, int lw, int lh, int w, int h) {
        List<int[]> out = new ArrayList<>();
        int stepY = Math.max(1, lh / 2);
        int stepX = Math.max(1, lw / 2);
        for (int dy = 0; dy <= h; dy += stepY) {
            for (int dx = 0; dx <= w; dx += stepX) {
                out.add(new int[] {from[0] + dx, from[1] + dy});
                out.add(new int[] {from[0] - dx, from[1] + dy});
                out.add(new int[] {from[0] + dx, from[1] - dy});
                out.add(new int[] {from[0] - dx, from[1] - dy});
            }
        }
        return out;
    }

    private static String fit(String text, FontMetrics fm, int width) {
        String t = text == null ? "" : text.strip();
        if (fm.stringWidth(t) <= width) {
            return t;
        }
        while (!t.isEmpty() && fm.stringWidth(t + "\u2026") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t.isEmpty() ? "" : t + "\u2026";
    }

    private static boolean intersects(Label l, Rectangle r) {
        return l.x() < r.x + r.width && r.x < l.x() + l.width() && l.y() < r.y + r.height && r.y < l.y() + l.height();
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double luminance(Color c) {
        return (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255;
    }

    private static Rectangle rect(Box b) {
        return new Rectangle(Math.round(b.x()), Math.round(b.y()), Math.round(b.width()), Math.round(b.height()));
    }

    private static Box bounds(List<Point> polygon) {
        float x0 = Float.MAX_VALUE;
        float y0 = Float.MAX_VALUE;
        float x1 = -Float.MAX_VALUE;
        float y1 = -Float.MAX_VALUE;
        for (Point p : polygon) {
            x0 = Math.min(x0, p.x());
            y0 = Math.min(y0, p.y());
            x1 = Math.max(x1, p.x());
            y1 = Math.max(y1, p.y());
        }
        return polygon.isEmpty() ? new Box(0, 0, 0, 0) : new Box(x0, y0, x1 - x0, y1 - y0);
    }
}
