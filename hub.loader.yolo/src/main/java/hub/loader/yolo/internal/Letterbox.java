package hub.loader.yolo.internal;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

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

    /**
     * Resamples the image (bilinear) straight into a normalised CHW tensor of the canvas, RGB, 0..1, with YOLO's grey
     * around it: no intermediate canvas image, one pass over the output.
     */
    float[] chw(BufferedImage image) {
        byte[] bgr = bgr(image);
        int plane = size * size;
        float[] out = new float[3 * plane];
        java.util.Arrays.fill(out, 114 / 255f);
        int left = Math.round(padX);
        int top = Math.round(padY);
        int w = Math.min(size - left, Math.round(width * scale));
        int h = Math.min(size - top, Math.round(height * scale));
        float inv = 1f / scale;
        int[] x0 = new int[w];
        int[] x1 = new int[w];
        float[] fx = new float[w];
        for (int x = 0; x < w; x++) {
            float sx = Math.max(0, (x + 0.5f) * inv - 0.5f);
            x0[x] = Math.min(width - 1, (int) sx);
            x1[x] = Math.min(width - 1, x0[x] + 1);
            fx[x] = sx - x0[x];
        }
        final float norm = 1 / 255f;
        for (int y = 0; y < h; y++) {
            float sy = Math.max(0, (y + 0.5f) * inv - 0.5f);
            int y0 = Math.min(height - 1, (int) sy);
            int y1 = Math.min(height - 1, y0 + 1);
            float fy = sy - y0;
            int r0 = y0 * width * 3;
            int r1 = y1 * width * 3;
            int o = (top + y) * size + left;
            for (int x = 0; x < w; x++) {
                int a = r0 + x0[x] * 3;
                int b = r0 + x1[x] * 3;
                int c = r1 + x0[x] * 3;
                int d = r1 + x1[x] * 3;
                float wx = fx[x];
                for (int ch = 0; ch < 3; ch++) {
                    int k = 2 - ch; // source is B, G, R; the tensor is R, G, B
                    float t = (bgr[a + k] & 0xff) + ((bgr[b + k] & 0xff) - (bgr[a + k] & 0xff)) * wx;
                    float u = (bgr[c + k] & 0xff) + ((bgr[d + k] & 0xff) - (bgr[c + k] & 0xff)) * wx;
                    out[ch * plane + o + x] = (t + (u - t) * fy) * norm;
                }
            }
        }
        return out;
    }

    /** The image's pixels as packed B, G, R bytes (no copy when it already is a 3-byte BGR image). */
    private static byte[] bgr(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && image.getRaster().getDataBuffer() instanceof java.awt.image.DataBufferByte db
                && db.getNumBanks() == 1 && image.getRaster().getParent() == null) {
            return db.getData();
        }
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = copy.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return ((java.awt.image.DataBufferByte) copy.getRaster().getDataBuffer()).getData();
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
