package hub.loader.yolo.internal;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Scales an image into a square canvas keeping its aspect ratio, centred on YOLO's grey (114), and maps boxes back.
 *
 * @param size canvas side
 * @param scale image-to-canvas scale
 * @param padX left padding
 * @param padY top padding
 * @param width original width
 * @param height original height
 */
record Letterbox(int size, float scale, float padX, float padY, int width, int height) {
    static Letterbox of(int width, int height, int size) {
        float scale = Math.min((float) size / width, (float) size / height);
        float padX = (size - width * scale) / 2f;
        float padY = (size - height * scale) / 2f;
        return new Letterbox(size, scale, padX, padY, width, height);
    }

    /** @return the image drawn into the canvas as packed RGB ints, row-major */
    int[] draw(BufferedImage image) {
        BufferedImage canvas = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(new Color(114, 114, 114));
            g.fillRect(0, 0, size, size);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, Math.round(padX), Math.round(padY), Math.round(width * scale), Math.round(height * scale),
                    null);
        } finally {
            g.dispose();
        }
        return ((DataBufferInt) canvas.getRaster().getDataBuffer()).getData();
    }

    float x(float canvasX) {
        return clamp((canvasX - padX) / scale, width);
    }

    float y(float canvasY) {
        return clamp((canvasY - padY) / scale, height);
    }

    private static float clamp(float v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
