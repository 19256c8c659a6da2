package hub.imaging;

/**
 * Where an image (or a region of it) landed on a {@link Preprocessor}'s canvas, to map what a model finds on the
 * canvas back to the image's pixels.
 *
 * @param x left edge of the image on the canvas (negative when a crop cut it)
 * @param y top edge of the image on the canvas
 * @param width the image's width on the canvas
 * @param height the image's height on the canvas
 * @param sourceWidth the width of the image (or region) written
 * @param sourceHeight its height
 */
public record Placement(int x, int y, int width, int height, int sourceWidth, int sourceHeight) {
    /** Rejects empty sizes. */
    public Placement {
        if (width <= 0 || height <= 0 || sourceWidth <= 0 || sourceHeight <= 0) {
            throw new IllegalArgumentException("empty placement " + width + "x" + height + " of " + sourceWidth + "x"
                    + sourceHeight);
        }
    }

    /** @return canvas pixels per image pixel, horizontally */
    public float scaleX() {
        return (float) width / sourceWidth;
    }

    /** @return canvas pixels per image pixel, vertically */
    public float scaleY() {
        return (float) height / sourceHeight;
    }

    /**
     * @param canvasX a horizontal position on the canvas
     * @return the same position in the image's pixels, clamped to the image
     */
    public float sourceX(float canvasX) {
        return Math.max(0, Math.min(sourceWidth, (canvasX - x) / scaleX()));
    }

    /**
     * @param canvasY a vertical position on the canvas
     * @return the same position in the image's pixels, clamped to the image
     */
    public float sourceY(float canvasY) {
        return Math.max(0, Math.min(sourceHeight, (canvasY - y) / scaleY()));
    }
}
