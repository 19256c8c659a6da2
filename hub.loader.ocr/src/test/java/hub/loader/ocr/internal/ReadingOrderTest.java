package hub.loader.ocr.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import hub.api.task.Point;
import hub.api.task.TextLine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.Test;

/** Reading order from the boxes' rotated geometry: columns, tilted lines, pieces of a line. */
public class ReadingOrderTest {
    /** A box {@code w x h} whose top-left is at (x, y), turned by {@code degrees} about the point (cx, cy). */
    private static TextLine box(String text, double x, double y, double w, double h, double degrees, double cx, double cy) {
        double a = Math.toRadians(degrees);
        double[][] corners = {{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}};
        List<Point> p = new ArrayList<>();
        for (double[] c : corners) {
            double dx = c[0] - cx;
            double dy = c[1] - cy;
            p.add(new Point((float) (cx + dx * Math.cos(a) - dy * Math.sin(a)), (float) (cy + dx * Math.sin(a) + dy * Math.cos(a))));
        }
        return new TextLine(text, 0.9f, p);
    }

    private static List<String> texts(List<TextLine> lines) {
        return lines.stream().map(TextLine::text).toList();
    }

    @Test
    public void twoColumnsAreReadOneAfterTheOtherUnderAHeading() {
        List<TextLine> lines = new ArrayList<>();
        lines.add(box("heading", 20, 10, 500, 30, 0, 0, 0));
        for (int i = 0; i < 4; i++) {
            lines.add(box("left " + i, 20, 60 + 40 * i, 220, 28, 0, 0, 0));
            lines.add(box("right " + i, 300, 60 + 40 * i, 200, 28, 0, 0, 0));
        }
        lines.add(box("footer", 20, 260, 480, 28, 0, 0, 0));
        Collections.shuffle(lines, new Random(1));
        assertEquals(List.of("heading", "left 0", "left 1", "left 2", "left 3", "right 0", "right 1", "right 2", "right 3",
                "footer"), texts(ReadingOrder.arrange(lines)));
    }

    @Test
    public void tiltedLinesAreToldApartByTheirPlaceAcrossTheText() {
        // 10 degrees: the right end of a line is lower than the left end of the next one
        List<TextLine> lines = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lines.add(box("line " + i, 40, 40 + 36 * i, 700, 26, 10, 400, 150));
        }
        assertTrue("the tilt puts a line's right end below the next line's left",
                lines.get(0).polygon().get(2).y() > lines.get(1).polygon().get(0).y());
        Collections.shuffle(lines, new Random(2));
        assertEquals(List.of("line 0", "line 1", "line 2", "line 3", "line 4"), texts(ReadingOrder.arrange(lines)));
        assertEquals(Math.toRadians(10), ReadingOrder.direction(lines), 1e-3);
    }

    @Test
    public void piecesOfOneTiltedLineAreJoinedWithASpaceAndOneOutline() {
        List<TextLine> lines = List.of(box("world", 200, 40, 100, 26, -6, 0, 0), box("hello", 80, 40, 100, 26, -6, 0, 0),
                box("below", 80, 90, 100, 26, -6, 0, 0));
        List<TextLine> out = ReadingOrder.arrange(lines);
        assertEquals(List.of("hello world", "below"), texts(out));
        TextLine joined = out.get(0);
        assertEquals(lines.get(1).polygon().get(0), joined.polygon().get(0));
        assertEquals(lines.get(0).polygon().get(1), joined.polygon().get(1));
        assertEquals(lines.get(0).polygon().get(2), joined.polygon().get(2));
        assertEquals(lines.get(1).polygon().get(3), joined.polygon().get(3));
    }

    @Test
    public void wordsFarApartOnOneLineStaySeparateLines() {
        // a gap of several line heights is a column gap, not a space
        List<TextLine> out = ReadingOrder.arrange(List.of(box("name", 20, 20, 80, 24, 0, 0, 0),
                box("value", 400, 20, 80, 24, 0, 0, 0)));
        assertEquals(List.of("name", "value"), texts(out));
    }
}
