package hub.loader.ocr.internal;

import java.awt.geom.AffineTransform;
import java.awt.geom.NoninvertibleTransformException;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.algorithm.MinimumAreaRectangle;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;

/**
 * DB post-processing as PaddleOCR's {@code DBPostProcess} does it: each connected region of the binarised probability
 * map, its minimum-area rotated rectangle, the region's mean probability as its score, the rectangle grown back by
 * polygon offsetting (DB shrinks text regions in training by area x ratio / perimeter) and boxed again. The geometry
 * is JTS's ({@link MinimumAreaRectangle}, {@link Geometry#buffer}).
 */
final class TextBoxes {
    private static final GeometryFactory GEOMETRY = new GeometryFactory();

    /**
     * A text region's rotated box in image pixels, corners in reading order: top-left, top-right, bottom-right,
     * bottom-left (as seen when the text is level).
     *
     * @param x the corners' x
     * @param y the corners' y
     * @param score the region's mean probability
     */
    record Quad(float[] x, float[] y, float score) {
        /** @return the length of the text's baseline direction (the level crop's width) */
        float width() {
            return Math.max(dist(0, 1), dist(3, 2));
        }

        /** @return the level crop's height */
        float height() {
            return Math.max(dist(0, 3), dist(1, 2));
        }

        private float dist(int a, int b) {
            return (float) Math.hypot(x[a] - x[b], y[a] - y[b]);
        }

        /** @return the axis-aligned bounds {x0, y0, x1, y1} */
        float[] bounds() {
            float x0 = Float.MAX_VALUE;
            float y0 = Float.MAX_VALUE;
            float x1 = -Float.MAX_VALUE;
            float y1 = -Float.MAX_VALUE;
            for (int i = 0; i < 4; i++) {
                x0 = Math.min(x0, x[i]);
                y0 = Math.min(y0, y[i]);
                x1 = Math.max(x1, x[i]);
                y1 = Math.max(y1, y[i]);
            }
            return new float[] {x0, y0, x1, y1};
        }

        /**
         * @return the same box turned a quarter so that a tall crop (vertical text: height at least 1.5 x width)
         *         reads left to right, as PaddleOCR turns such crops; else this box
         */
        Quad upright() {
            if (height() < 1.5f * width()) {
                return this;
            }
            // the right edge becomes the top: new tl = tr, tr = br, br = bl, bl = tl
            return new Quad(new float[] {x[1], x[2], x[3], x[0]}, new float[] {y[1], y[2], y[3], y[0]}, score);
        }

        /**
         * @param canvasWidth the level crop's width on the canvas
         * @param canvasHeight its height
         * @param turned turned 180 degrees (an upside-down line)
         * @return the map from the image onto the canvas that cuts this box out level into {@code canvasWidth x
         *         canvasHeight} at the canvas's top-left
         */
        AffineTransform toCanvas(int canvasWidth, int canvasHeight, boolean turned) {
            // canvas (u, v) -> image: tl + u / w * (tr - tl) + v / h * (bl - tl)
            AffineTransform canvasToImage = new AffineTransform((x[1] - x[0]) / canvasWidth, (y[1] - y[0]) / canvasWidth,
                    (x[3] - x[0]) / canvasHeight, (y[3] - y[0]) / canvasHeight, x[0], y[0]);
            if (turned) {
                canvasToImage.concatenate(new AffineTransform(-1, 0, 0, -1, canvasWidth, canvasHeight));
            }
            try {
                return canvasToImage.createInverse();
            } catch (NoninvertibleTransformException e) {
                throw new IllegalArgumentException("degenerate text box", e);
            }
        }
    }

    private TextBoxes() {
    }

    /**
     * @param prob the probability map, row-major
     * @param w its width
     * @param h its height
     * @param db the thresholds and unclip ratio
     * @param toImageX image pixels per map pixel, horizontally
     * @param toImageY image pixels per map pixel, vertically
     * @param imageW the image's width (boxes are clipped to it)
     * @param imageH the image's height
     * @return the text boxes found, in image pixels
     */
    static List<Quad> find(float[] prob, int w, int h, PaddleOcrModel.DbSettings db, float toImageX, float toImageY,
            int imageW, int imageH) {
        boolean[] seen = new boolean[w * h];
        int[] stack = new int[w * h];
        int[] rowMin = new int[h];
        int[] rowMax = new int[h];
        List<Quad> out = new ArrayList<>();
        for (int start = 0; start < prob.length; start++) {
            if (seen[start] || prob[start] <= db.binarize()) {
                continue;
            }
            // the region: a 4-connected flood fill, keeping each row's extent and the mean probability
            java.util.Arrays.fill(rowMin, Integer.MAX_VALUE);
            java.util.Arrays.fill(rowMax, -1);
            int top = 0;
            stack[top++] = start;
            seen[start] = true;
            double sum = 0;
            int n = 0;
            int yMin = h;
            int yMax = -1;
            while (top > 0) {
                int p = stack[--top];
                int px = p % w;
                int py = p / w;
                rowMin[py] = Math.min(rowMin[py], px);
                rowMax[py] = Math.max(rowMax[py], px);
                yMin = Math.min(yMin, py);
                yMax = Math.max(yMax, py);
                sum += prob[p];
                n++;
                if (px + 1 < w) {
                    top = push(prob, seen, stack, top, p + 1, db.binarize());
                }
                if (px > 0) {
                    top = push(prob, seen, stack, top, p - 1, db.binarize());
                }
                if (py + 1 < h) {
                    top = push(prob, seen, stack, top, p + w, db.binarize());
                }
                if (py > 0) {
                    top = push(prob, seen, stack, top, p - w, db.binarize());
                }
            }
            if (sum / n < db.boxThreshold()) {
                continue;
            }
            // the region's outline: each row's first and last pixel, as pixel corners
            List<Coordinate> points = new ArrayList<>();
            for (int y = yMin; y <= yMax; y++) {
                if (rowMax[y] < 0) {
                    continue;
                }
                points.add(new Coordinate(rowMin[y], y));
                points.add(new Coordinate(rowMin[y], y + 1));
                points.add(new Coordinate(rowMax[y] + 1, y));
                points.add(new Coordinate(rowMax[y] + 1, y + 1));
            }
            Geometry hull = GEOMETRY.createMultiPointFromCoords(points.toArray(Coordinate[]::new)).convexHull();
            Geometry box = MinimumAreaRectangle.getMinimumRectangle(hull);
            if (!(box instanceof Polygon rect) || minSide(rect) < db.minSize()) {
                continue;
            }
            // unclip: grow by area x ratio / perimeter, as DB's training shrank the region
            double distance = rect.getArea() * db.unclip() / rect.getLength();
            Geometry grown = MinimumAreaRectangle.getMinimumRectangle(rect.buffer(distance));
            if (!(grown instanceof Polygon g) || minSide(g) < db.minSize() + 2) {
                continue;
            }
            out.add(quad(g, toImageX, toImageY, imageW, imageH, (float) (sum / n)));
        }
        return out;
    }

    private static int push(float[] prob, boolean[] seen, int[] stack, int top, int q, float threshold) {
        if (!seen[q] && prob[q] > threshold) {
            seen[q] = true;
            stack[top++] = q;
        }
        return top;
    }

    private static double minSide(Polygon rect) {
        Coordinate[] c = rect.getExteriorRing().getCoordinates();
        return Math.min(c[0].distance(c[1]), c[1].distance(c[2]));
    }

    /** The rectangle's corners in image pixels, ordered as PaddleOCR's {@code get_mini_boxes} orders them. */
    private static Quad quad(Polygon rect, float sx, float sy, int imageW, int imageH, float score) {
        Coordinate[] c = rect.getExteriorRing().getCoordinates();
        Coordinate[] p = java.util.Arrays.copyOf(c, 4);
        java.util.Arrays.sort(p, (a, b) -> Double.compare(a.x, b.x));
        Coordinate tl = p[0].y <= p[1].y ? p[0] : p[1];
        Coordinate bl = p[0].y <= p[1].y ? p[1] : p[0];
        Coordinate tr = p[2].y <= p[3].y ? p[2] : p[3];
        Coordinate br = p[2].y <= p[3].y ? p[3] : p[2];
        Coordinate[] order = {tl, tr, br, bl};
        float[] x = new float[4];
        float[] y = new float[4];
        for (int i = 0; i < 4; i++) {
            x[i] = clamp((float) order[i].x * sx, imageW);
            y[i] = clamp((float) order[i].y * sy, imageH);
        }
        return new Quad(x, y, score);
    }

    private static float clamp(float v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
