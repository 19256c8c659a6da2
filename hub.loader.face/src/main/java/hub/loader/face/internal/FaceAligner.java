package hub.loader.face.internal;

import hub.api.task.Point;
import java.awt.geom.AffineTransform;
import java.util.List;

/**
 * Aligns a face to the 112 x 112 ArcFace template from its five landmarks: the least-squares similarity (rotation,
 * uniform scale, translation) taking the landmarks onto the template; hub.imaging's {@code Preprocessor.warp} applies
 * it with bilinear sampling straight into the embedder's input.
 */
final class FaceAligner {
    /** Right eye, left eye, nose tip, right and left mouth corner (as seen in the image), in a 112 x 112 crop. */
    static final float[][] TEMPLATE = {{38.2946f, 51.6963f}, {73.5318f, 51.5014f}, {56.0252f, 71.7366f},
        {41.5493f, 92.3655f}, {70.7299f, 92.2041f}};

    private FaceAligner() {
    }

    static AffineTransform similarity(List<Point> landmarks) {
        if (landmarks.size() != 5) {
            throw new IllegalArgumentException("face alignment needs 5 landmarks, got " + landmarks.size());
        }
        double msx = 0;
        double msy = 0;
        double mdx = 0;
        double mdy = 0;
        for (int i = 0; i < 5; i++) {
            msx += landmarks.get(i).x() / 5.0;
            msy += landmarks.get(i).y() / 5.0;
            mdx += TEMPLATE[i][0] / 5.0;
            mdy += TEMPLATE[i][1] / 5.0;
        }
        double num1 = 0;
        double num2 = 0;
        double den = 0;
        for (int i = 0; i < 5; i++) {
            double sx = landmarks.get(i).x() - msx;
            double sy = landmarks.get(i).y() - msy;
            double dx = TEMPLATE[i][0] - mdx;
            double dy = TEMPLATE[i][1] - mdy;
            num1 += sx * dx + sy * dy;
            num2 += sx * dy - sy * dx;
            den += sx * sx + sy * sy;
        }
        if (den == 0) {
            throw new IllegalArgumentException("degenerate landmarks");
        }
        double a = num1 / den;
        double b = num2 / den;
        double tx = mdx - (a * msx - b * msy);
        double ty = mdy - (b * msx + a * msy);
        return new AffineTransform(a, b, -b, a, tx, ty);
    }
}
