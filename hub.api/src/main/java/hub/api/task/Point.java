package hub.api.task;

/**
 * A point in the original image's pixels.
 *
 * @param x horizontal
 * @param y vertical
 */
public record Point(float x, float y) {
}
