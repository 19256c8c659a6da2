package hub.loader.resnet.internal;

import hub.api.LoaderParameters;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Locale;

/**
 * ImageNet-style preprocessing from the descriptor: resize the shorter side, centre-crop, scale, subtract mean,
 * divide by std, in RGB or BGR order, into NCHW; one-channel models get luminance.
 *
 * @param size crop side (the model's input)
 * @param resize shorter side before the crop
 * @param channels 1 or 3
 * @param scale factor on 0..255 values
 * @param mean per-channel mean (after scaling)
 * @param std per-channel standard deviation (after scaling)
 * @param bgr channel order
 */
record Preprocess(int size, int resize, int channels, float scale, float[] mean, float[] std, boolean bgr) {
    static Preprocess of(LoaderParameters p, int size, int channels) {
        double[] mean = p.numbers(LoaderParameters.MEAN).orElse(new double[] {0, 0, 0});
        double[] std = p.numbers(LoaderParameters.STD).orElse(new double[] {1, 1, 1});
        int resize = p.integer("resize", size);
        boolean bgr = p.string(LoaderParameters.CHANNEL_ORDER).map(s -> s.toUpperCase(Locale.ROOT).equals("BGR"))
                .orElse(false);
        return new Preprocess(size, resize, channels, (float) p.number(LoaderParameters.SCALE, 1 / 255.0),
                floats(mean, channels), floats(std, channels), bgr);
    }

    private static float[] floats(double[] v, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) v[Math.min(i, v.length - 1)];
        }
        return out;
    }

    float[] apply(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float r = (float) resize / Math.min(w, h);
        int rw = Math.max(size, Math.round(w * r));
        int rh = Math.max(size, Math.round(h * r));
        BufferedImage canvas = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, (size - rw) / 2, (size - rh) / 2, rw, rh, null);
        } finally {
            g.dispose();
        }
        int[] px = ((DataBufferInt) canvas.getRaster().getDataBuffer()).getData();
        int plane = size * size;
        float[] out = new float[channels * plane];
        for (int i = 0; i < plane; i++) {
            int p = px[i];
            float red = (p >> 16) & 0xff;
            float green = (p >> 8) & 0xff;
            float blue = p & 0xff;
            if (channels == 1) {
                out[i] = ((0.299f * red + 0.587f * green + 0.114f * blue) * scale - mean[0]) / std[0];
            } else {
                float c0 = bgr ? blue : red;
                float c2 = bgr ? red : blue;
                out[i] = (c0 * scale - mean[0]) / std[0];
                out[plane + i] = (green * scale - mean[1]) / std[1];
                out[2 * plane + i] = (c2 * scale - mean[2]) / std[2];
            }
        }
        return out;
    }
}
