package hub.api.task;

/**
 * An axis-aligned box in the original image's pixels.
 *
 * @param x left
 * @param y top
 * @param width width
 * @param height height
 */
public record Box(float x, float y, float width, float height) {
    /**
     * @param other another box
     * @return intersection over union
     */
    public float iou(Box other) {
        float ix = Math.max(0, Math.min(x + width, other.x + other.width) - Math.max(x, other.x));
        float iy = Math.max(0, Math.min(y + height, other.y + other.height) - Math.max(y, other.y));
        float inter = ix * iy;
        float union = width * height + other.width * other.height - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
