package hub.loader.ocr.internal;

import hub.api.task.Point;
import hub.api.task.TextLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reading order by the lines' rotated geometry, for text level or tilted, in one column or several.
 * <ol>
 * <li>The page's text direction is the median direction of the lines' baselines; every box is measured turned level
 * by it, so that the lines of a tilted page are told apart by their place across the text direction, not by their
 * y.</li>
 * <li>Pieces of one line (DB finds words far apart as separate regions) join where they overlap across the text
 * direction by more than half a line height and are less than a line height apart along it.</li>
 * <li>Lines stack into blocks (columns, paragraphs): a line joins the block whose last line is just above it (less
 * than 1.5 line heights) and overlaps it along the text direction.</li>
 * <li>Blocks side by side (overlapping across the text direction) are read left to right, one after the other; groups
 * of them top to bottom.</li>
 * </ol>
 */
final class ReadingOrder {
    /** A line measured level: its extent along the text direction (x) and across it (y). */
    private static final class Level {
        final List<TextLine> pieces = new ArrayList<>();
        double x0;
        double x1;
        double y0;
        double y1;

        Level(TextLine line, double cos, double sin) {
            pieces.add(line);
            x0 = Double.MAX_VALUE;
            y0 = Double.MAX_VALUE;
            x1 = -Double.MAX_VALUE;
            y1 = -Double.MAX_VALUE;
            for (Point p : line.polygon()) {
                // turned back by the text direction
                double x = p.x() * cos + p.y() * sin;
                double y = -p.x() * sin + p.y() * cos;
                x0 = Math.min(x0, x);
                x1 = Math.max(x1, x);
                y0 = Math.min(y0, y);
                y1 = Math.max(y1, y);
            }
        }

        double height() {
            return y1 - y0;
        }

        void join(Level o) {
            pieces.addAll(o.pieces);
            x0 = Math.min(x0, o.x0);
            x1 = Math.max(x1, o.x1);
            y0 = Math.min(y0, o.y0);
            y1 = Math.max(y1, o.y1);
        }

        /** The pieces as one line: texts joined by a space, the outline from the first's left to the last's right. */
        TextLine line() {
            if (pieces.size() == 1) {
                return pieces.get(0);
            }
            StringBuilder text = new StringBuilder();
            double confidence = 0;
            int chars = 0;
            for (TextLine p : pieces) {
                text.append(text.length() == 0 ? "" : " ").append(p.text());
                confidence += p.confidence() * p.text().length();
                chars += p.text().length();
            }
            List<Point> first = pieces.get(0).polygon();
            List<Point> last = pieces.get(pieces.size() - 1).polygon();
            return new TextLine(text.toString(), (float) (confidence / Math.max(1, chars)),
                    List.of(first.get(0), last.get(1), last.get(2), first.get(3)));
        }
    }

    /** Lines stacked one below the other. */
    private static final class Block {
        final List<Level> lines = new ArrayList<>();
        double x0 = Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;

        void add(Level l) {
            lines.add(l);
            x0 = Math.min(x0, l.x0);
            y0 = Math.min(y0, l.y0);
            y1 = Math.max(y1, l.y1);
        }

        Level last() {
            return lines.get(lines.size() - 1);
        }
    }

    private ReadingOrder() {
    }

    /**
     * @param lines text lines whose polygons are their boxes' corners top-left, top-right, bottom-right, bottom-left
     * @return the same text in reading order, the pieces of one line joined
     */
    static List<TextLine> arrange(List<TextLine> lines) {
        if (lines.size() < 2) {
            return lines;
        }
        double angle = direction(lines);
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        List<Level> pieces = new ArrayList<>();
        for (TextLine l : lines) {
            pieces.add(new Level(l, cos, sin));
        }
        pieces.sort(Comparator.comparingDouble(l -> l.x0));
        List<Level> joined = new ArrayList<>();
        for (Level p : pieces) {
            Level into = null;
            for (Level l : joined) {
                double overlap = Math.min(l.y1, p.y1) - Math.max(l.y0, p.y0);
                double h = Math.min(l.height(), p.height());
                double gap = p.x0 - l.x1;
                if (overlap > h / 2 && gap > -h / 2 && gap < h) {
                    into = l;
                    break;
                }
            }
            if (into != null) {
                into.join(p);
            } else {
                joined.add(p);
            }
        }
        joined.sort(Comparator.comparingDouble(l -> (l.y0 + l.y1) / 2));
        List<Block> blocks = new ArrayList<>();
        for (Level l : joined) {
            Block best = null;
            double bestGap = Double.MAX_VALUE;
            for (Block b : blocks) {
                Level last = b.last();
                double gap = l.y0 - last.y1;
                double h = Math.max(l.height(), last.height());
                boolean along = Math.min(l.x1, last.x1) - Math.max(l.x0, last.x0) > 0;
                if (along && gap > -h / 2 && gap < 1.5 * h && gap < bestGap) {
                    best = b;
                    bestGap = gap;
                }
            }
            if (best == null) {
                best = new Block();
                blocks.add(best);
            }
            best.add(l);
        }
        // groups of blocks side by side, top to bottom; inside a group, left to right
        blocks.sort(Comparator.comparingDouble(b -> b.y0));
        List<TextLine> out = new ArrayList<>();
        for (int from = 0; from < blocks.size();) {
            double bottom = blocks.get(from).y1;
            int to = from + 1;
            while (to < blocks.size() && blocks.get(to).y0 < bottom) {
                bottom = Math.max(bottom, blocks.get(to).y1);
                to++;
            }
            List<Block> group = new ArrayList<>(blocks.subList(from, to));
            group.sort(Comparator.comparingDouble(b -> b.x0));
            for (Block b : group) {
                for (Level l : b.lines) {
                    l.pieces.sort(Comparator.comparingDouble(p -> p.polygon().get(0).x() * cos + p.polygon().get(0).y() * sin));
                    out.add(l.line());
                }
            }
            from = to;
        }
        return out;
    }

    /** The median direction of the lines' top edges, in radians (0: level; positive: turned clockwise on screen). */
    static double direction(List<TextLine> lines) {
        double[] a = new double[lines.size()];
        for (int i = 0; i < a.length; i++) {
            List<Point> p = lines.get(i).polygon();
            a[i] = Math.atan2(p.get(1).y() - p.get(0).y(), p.get(1).x() - p.get(0).x());
        }
        java.util.Arrays.sort(a);
        return a[a.length / 2];
    }
}
