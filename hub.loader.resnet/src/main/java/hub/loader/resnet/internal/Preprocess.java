package hub.loader.resnet.internal;

import hub.api.LoaderParameters;
import hub.imaging.Preprocessor;
import java.util.Locale;

/**
 * ImageNet-style preparation from the descriptor's parameters: the shorter side resized to {@code resize}, the centre
 * cut out, scaled, mean subtracted, divided by std, RGB or BGR, NCHW; one-channel models get luminance. The work
 * itself is hub.imaging's {@link Preprocessor}.
 */
final class Preprocess {
    private Preprocess() {
    }

    /**
     * @param p the descriptor's parameters ({@code resize}, {@code scale}, {@code mean}, {@code std},
     *        {@code channelOrder})
     * @param size the model's input side
     * @param channels 1 or 3
     * @return the model's preprocessor
     */
    static Preprocessor of(LoaderParameters p, int size, int channels) {
        double[] mean = p.numbers(LoaderParameters.MEAN).orElse(new double[] {0});
        double[] std = p.numbers(LoaderParameters.STD).orElse(new double[] {1});
        boolean bgr = p.string(LoaderParameters.CHANNEL_ORDER).map(s -> s.toUpperCase(Locale.ROOT).equals("BGR"))
                .orElse(false);
        return Preprocessor.builder(size, size).fit(Preprocessor.Fit.CROP).resize(Math.max(size, resize(p, size)))
                .channels(channels == 1 ? Preprocessor.Channels.GREY : bgr ? Preprocessor.Channels.BGR
                        : Preprocessor.Channels.RGB)
                .scale((float) p.number(LoaderParameters.SCALE, 1 / 255.0)).mean(floats(mean)).std(floats(std)).build();
    }

    /** @return the shorter side before the centre crop (the smallest size worth decoding) */
    static int resize(LoaderParameters p, int size) {
        return p.integer("resize", size);
    }

    private static float[] floats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
