package hub.loader.ocr.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

/** DB post-processing geometry: rotated rectangles of the probability map's regions, unclipped, scored, filtered. */
public class TextBoxesTest {
    private static final PaddleOcrModel.DbSettings DB = new PaddleOcrModel.DbSettings(0.3f, 0.5f, 1.5f, 3, 960, 0.5f);

    /** A map {@code w x h} with a filled rectangle {@code len x thick} centred at (cx, cy), turned by {@code degrees}. */
    private static float[] map(int w, int h, double cx, double cy, double len, double thick, double degrees, float p) {
        float[] m = new float[w * h];
        double a = Math.toRadians(degrees);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                double along = dx * Math.cos(a) + dy * Math.sin(a);
                double across = -dx * Math.sin(a) + dy * Math.cos(a);
                if (Math.abs(along) <= len / 2 && Math.abs(across) <= thick / 2) {
                    m[y * w + x] = p;
                }
            }
        }
        return m;
    }

    @Test
    public void aTiltedRegionGivesARotatedBoxGrownByTheUnclipDistance() {
        float[] m = map(200, 120, 100, 60, 140, 12, 8, 0.9f);
        List<TextBoxes.Quad> boxes = TextBoxes.find(m, 200, 120, DB, 2, 2, 400, 240);
        assertEquals(1, boxes.size());
        TextBoxes.Quad q = boxes.get(0);
        double angle = Math.toDegrees(Math.atan2(q.y()[1] - q.y()[0], q.x()[1] - q.x()[0]));
        assertEquals("the box follows the text's direction", 8, angle, 1.0);
        // unclip distance = area * 1.5 / perimeter = 140 * 12 * 1.5 / 304 = 8.3 map pixels on each side
        double grown = 8.3;
        assertEquals((140 + 2 * grown) * 2, q.width(), 6);
        assertEquals((12 + 2 * grown) * 2, q.height(), 6);
        assertEquals(0.9f, q.score(), 1e-4);
        // corners in reading order: top-left is left of top-right, above bottom-left
        assertTrue(q.x()[0] < q.x()[1] && q.y()[0] < q.y()[3]);
    }

    @Test
    public void faintRegionsAndSpecksAreDropped() {
        assertEquals("below the box threshold", List.of(),
                TextBoxes.find(map(100, 60, 50, 30, 60, 10, 0, 0.4f), 100, 60, DB, 1, 1, 100, 60));
        assertEquals("thinner than the smallest box", List.of(),
                TextBoxes.find(map(100, 60, 50, 30, 60, 2, 0, 0.9f), 100, 60, DB, 1, 1, 100, 60));
    }

    @Test
    public void aLevelBoxMapsOntoALevelCanvasAndTurnsUpsideDown() {
        TextBoxes.Quad q = new TextBoxes.Quad(new float[] {10, 110, 110, 10}, new float[] {20, 20, 40, 40}, 1);
        var t = q.toCanvas(240, 48, false);
        java.awt.geom.Point2D p = t.transform(new java.awt.geom.Point2D.Double(110, 40), null);
        assertEquals(240, p.getX(), 1e-3);
        assertEquals(48, p.getY(), 1e-3);
        p = q.toCanvas(240, 48, true).transform(new java.awt.geom.Point2D.Double(110, 40), null);
        assertEquals(0, p.getX(), 1e-3);
        assertEquals(0, p.getY(), 1e-3);
        // a tall box (vertical text) is turned to read along its long side
        TextBoxes.Quad tall = new TextBoxes.Quad(new float[] {0, 20, 20, 0}, new float[] {0, 0, 100, 100}, 1);
        assertEquals(100, tall.upright().width(), 1e-4);
    }
}
