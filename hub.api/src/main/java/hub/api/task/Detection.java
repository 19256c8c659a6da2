package hub.api.task;

/**
 * One detected object.
 *
 * @param label class name
 * @param classId class index
 * @param score confidence 0..1
 * @param box location
 */
public record Detection(String label, int classId, float score, Box box) {
}
