package hub.api.task;

import java.util.List;

/**
 * One line of recognised text.
 *
 * @param text the text
 * @param confidence mean character confidence 0..1
 * @param polygon the line's outline, clockwise from top-left
 */
public record TextLine(String text, float confidence, List<Point> polygon) {
    /** Freezes the polygon. */
    public TextLine {
        polygon = List.copyOf(polygon);
    }
}
