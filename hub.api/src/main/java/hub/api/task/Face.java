package hub.api.task;

import java.util.List;

/**
 * A detected face.
 *
 * @param box face box
 * @param score confidence 0..1
 * @param landmarks five points: right eye, left eye, nose tip, right and left mouth corner (may be empty)
 */
public record Face(Box box, float score, List<Point> landmarks) {
    /** Freezes the landmarks. */
    public Face {
        landmarks = List.copyOf(landmarks);
    }
}
