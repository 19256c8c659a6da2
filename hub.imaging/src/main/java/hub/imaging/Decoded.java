package hub.imaging;

import java.awt.image.BufferedImage;

/**
 * An image decoded no larger than needed, with the size of the original.
 *
 * @param image the decoded pixels (subsampled when the original was much larger than needed)
 * @param width the original's width
 * @param height the original's height
 */
public record Decoded(BufferedImage image, int width, int height) {
    /** @return original pixels per decoded pixel, horizontally (1 when not subsampled) */
    public float scaleX() {
        return (float) width / image.getWidth();
    }

    /** @return original pixels per decoded pixel, vertically */
    public float scaleY() {
        return (float) height / image.getHeight();
    }
}
