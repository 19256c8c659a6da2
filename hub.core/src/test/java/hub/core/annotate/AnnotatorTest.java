package hub.core.annotate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import hub.api.task.Box;
import hub.api.task.Detection;
import hub.api.task.Face;
import hub.api.task.Point;
import hub.api.task.TextLine;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.Test;

/**
 * Label placement, checked geometrically: no two labels overlap, every label is inside the image, a text line's
 * text never covers its own line, each mark has its own colour. The drawings are kept as PNG artifacts in
 * {@code target/annotated/} to look at.
 */
public class AnnotatorTest {
    private static final Path OUT = Path.of("target/annotated");

    private static BufferedImage canvas(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, java.awt.Color.DARK_GRAY, w, h, java.awt.Color.LIGHT_GRAY));
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    private static void check(Annotator.Drawing d, int w, int h, String name) throws IOException {
        List<Annotator.Label> labels = d.labels();
        for (Annotator.Label l : labels) {
            assertTrue(name + ": inside the image " + l, l.x() >= 0 && l.y() >= 0 && l.x() + l.width() <= w
                    && l.y() + l.height() <= h);
        }
        for (int i = 0; i < labels.size(); i++) {
            for (int j = i + 1; j < labels.size(); j++) {
                assertFalse(name + ": " + labels.get(i) + " overlaps " + labels.get(j), labels.get(i).overlaps(labels.get(j)));
            }
        }
        Files.createDirectories(OUT);
        ImageIO.write(d.image(), "png", OUT.resolve(name + ".png").toFile());
    }

    @Test
    public void crowdedDetectionsGetLabelsThatNeitherOverlapNorLeaveTheImage() throws IOException {
        Random r = new Random(42);
        List<Detection> dets = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            float x = r.nextInt(600) - 20;
            float y = r.nextInt(440) - 20;
            dets.add(new Detection(i % 3 == 0 ? "traffic light" : i % 3 == 1 ? "person" : "dog", i % 3, 0.5f + r.nextFloat() / 2,
                    new Box(x, y, 30 + r.nextInt(200), 30 + r.nextInt(150))));
        }
        // boxes at the very edges and corners: their labels must still land inside
        dets.add(new Detection("cat", 1, 0.9f, new Box(0, 0, 60, 40)));
        dets.add(new Detection("bicycle", 2, 0.8f, new Box(580, 440, 60, 40)));
        Annotator.Drawing d = Annotator.draw(canvas(640, 480), Annotator.detections(dets), Annotator.Style.BOXES);
        assertTrue("most labels placed: " + d.labels().size(), d.labels().size() >= 20);
        check(d, 640, 480, "crowded-detections");
    }

    @Test
    public void facesShowTheirFiveLandmarks() throws IOException {
        List<Face> faces = List.of(new Face(new Box(100, 80, 120, 150), 0.98f, landmarks(100, 80)),
                new Face(new Box(200, 90, 110, 140), 0.91f, landmarks(200, 90)));
        BufferedImage img = canvas(400, 300);
        Annotator.Drawing d = Annotator.draw(img, Annotator.faces(faces), Annotator.Style.FACES);
        assertEquals(2, d.labels().size());
        // a landmark dot is drawn in its own colour at the eye
        Point eye = faces.get(0).landmarks().get(0);
        assertEquals(0x00FF00, d.image().getRGB(Math.round(eye.x()), Math.round(eye.y())) & 0xFFFFFF);
        check(d, 400, 300, "faces-landmarks");
    }

    private static List<Point> landmarks(float x, float y) {
        return List.of(new Point(x + 35, y + 55), new Point(x + 85, y + 55), new Point(x + 60, y + 85),
                new Point(x + 40, y + 115), new Point(x + 80, y + 115));
    }

    @Test
    public void ocrTextIsWrittenBesideItsLineNeverOverIt() throws IOException {
        List<TextLine> lines = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            float y = 20 + i * 34;
            float x = 20 + (i % 2) * 40;
            lines.add(new TextLine("line number " + i + " of the page", 0.95f, List.of(new Point(x, y),
                    new Point(x + 250, y), new Point(x + 250, y + 24), new Point(x, y + 24))));
        }
        Annotator.Drawing d = Annotator.draw(canvas(640, 300), Annotator.lines(lines), Annotator.Style.TEXT);
        assertEquals(8, d.labels().size());
        for (int i = 0; i < lines.size(); i++) {
            Annotator.Label l = d.labels().get(i);
            Box own = Annotator.lines(List.of(lines.get(i))).get(0).box();
            boolean over = l.x() < own.x() + own.width() && own.x() < l.x() + l.width() && l.y() < own.y() + own.height()
                    && own.y() < l.y() + l.height();
            assertFalse("text " + i + " covers its own line: " + l, over);
        }
        check(d, 640, 300, "ocr-beside");
    }

    @Test
    public void everyMarkHasItsOwnColour() throws IOException {
        List<Detection> dets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            dets.add(new Detection("dog", 16, 0.9f, new Box(10 + i * 60, 100, 50, 50))); // same class, ten boxes
        }
        Annotator.Drawing d = Annotator.draw(canvas(640, 240), Annotator.detections(dets), Annotator.Style.BOXES);
        Set<Integer> colours = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            colours.add(d.image().getRGB(10 + i * 60, 125) & 0xFFFFFF); // the box's left edge
        }
        assertEquals(10, colours.size());
        check(d, 640, 240, "colours");
    }

    @Test
    public void aLabelWiderThanTheImageIsShortenedToFit() throws IOException {
        Annotator.Drawing d = Annotator.draw(canvas(120, 80), Annotator.detections(List.of(new Detection(
                "a very long label that cannot possibly fit", 0, 0.5f, new Box(10, 10, 50, 50)))), Annotator.Style.BOXES);
        assertEquals(1, d.labels().size());
        assertTrue(d.labels().get(0).text().endsWith("\u2026"));
        check(d, 120, 80, "shortened");
    }
}
