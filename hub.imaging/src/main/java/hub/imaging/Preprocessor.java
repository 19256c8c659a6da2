package hub.imaging;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.geom.NoninvertibleTransformException;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Locale;

/**
 * A model's input preparation in one pass: bilinear resampling into the model's canvas (stretched, letterboxed,
 * resized and centre-cropped, or fitted to the height), channel order, scale, mean and standard deviation, and the
 * tensor layout (NCHW or NHWC), written straight into the tensor's buffer with no intermediate image. Every loader
 * uses it; build one per model (it is immutable and thread-safe) and call {@link #write} per image.
 * <p>
 * A value written is {@code (pixel * scale - mean[c]) / std[c]} for the 0..255 pixel of channel {@code c}; canvas
 * outside the image gets the pad value.
 */
public final class Preprocessor {
    /** How an image is placed on the canvas. */
    public enum Fit {
        /** Scaled to the whole canvas, aspect ratio ignored. */
        STRETCH,
        /** Scaled to fit inside, aspect ratio kept, centred (YOLO's letterbox). */
        LETTERBOX,
        /** Scaled to fit inside, aspect ratio kept, in the top-left corner. */
        LETTERBOX_CORNER,
        /** The shorter side scaled to {@link Builder#resize}, then the centre cut out (ImageNet's evaluation). */
        CROP,
        /** Scaled to the canvas's height, aspect ratio kept, at the left, at most the canvas's width (text lines). */
        HEIGHT
    }

    /** Order of a tensor's dimensions. */
    public enum Layout {
        /** Batch, channel, row, column. */
        NCHW,
        /** Batch, row, column, channel. */
        NHWC
    }

    /** The channels a tensor holds, in order. */
    public enum Channels {
        /** Red, green, blue. */
        RGB,
        /** Blue, green, red (OpenCV's order). */
        BGR,
        /** One channel of luminance (0.299 R + 0.587 G + 0.114 B). */
        GREY
    }

    private final int width;
    private final int height;
    private final Fit fit;
    private final int resize;
    private final Layout layout;
    private final Channels channels;
    private final int count;
    private final float scale;
    private final float[] mean;
    private final float[] std;
    private final float[] mul;
    private final float[] add;
    private final float[] pad;
    private final Builder settings;
    /** Per channel, a canvas row of the pad value, copied in bulk where the image does not reach. */
    private final float[][] padRows;

    private Preprocessor(Builder b) {
        this.settings = b.copy();
        this.width = b.width;
        this.height = b.height;
        this.fit = b.fit;
        this.resize = b.resize > 0 ? b.resize : Math.min(b.width, b.height);
        this.layout = b.layout;
        this.channels = b.channels;
        this.count = b.channels == Channels.GREY ? 1 : 3;
        this.scale = b.scale;
        this.mean = perChannel(b.mean, count, "mean");
        this.std = perChannel(b.std, count, "std");
        this.mul = new float[count];
        this.add = new float[count];
        this.pad = new float[count];
        for (int c = 0; c < count; c++) {
            if (std[c] == 0 || !Float.isFinite(std[c])) {
                throw new IllegalArgumentException("std must be a non-zero number, is " + std[c]);
            }
            mul[c] = scale / std[c];
            add[c] = -mean[c] / std[c];
            pad[c] = Float.isNaN(b.padValue) ? b.padPixel * mul[c] + add[c] : b.padValue;
        }
        this.padRows = new float[count][width];
        for (int c = 0; c < count; c++) {
            Arrays.fill(padRows[c], pad[c]);
        }
    }

    private static float[] perChannel(float[] v, int n, String what) {
        if (v.length != 1 && v.length < n) {
            throw new IllegalArgumentException(what + " needs 1 or " + n + " values, has " + v.length);
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = v[Math.min(i, v.length - 1)];
        }
        return out;
    }

    /**
     * @param width the canvas's width (the model's input width)
     * @param height the canvas's height
     * @return a builder: stretch, RGB, NCHW, scale 1/255, mean 0, std 1, pad 0 until told otherwise
     */
    public static Builder builder(int width, int height) {
        return new Builder(width, height);
    }

    /**
     * @param newWidth another canvas width
     * @param newHeight another canvas height
     * @return the same preparation on a canvas of another size (models with dynamic input sizes)
     */
    public Preprocessor withSize(int newWidth, int newHeight) {
        Builder b = settings.copy(newWidth, newHeight);
        if (b.resize > 0 && b.resize < Math.min(newWidth, newHeight)) {
            b.resize = 0;
        }
        return new Preprocessor(b);
    }

    /** @return the canvas's width */
    public int width() {
        return width;
    }

    /** @return the canvas's height */
    public int height() {
        return height;
    }

    /** @return channels per pixel in the tensor (1 or 3) */
    public int channelCount() {
        return count;
    }

    /** @return the tensor layout */
    public Layout layout() {
        return layout;
    }

    /** @return floats one image takes in the tensor */
    public int size() {
        return count * width * height;
    }

    /**
     * @param batch images in the tensor
     * @return the tensor's shape in this layout
     */
    public long[] shape(int batch) {
        return layout == Layout.NCHW ? new long[] {batch, count, height, width} : new long[] {batch, height, width, count};
    }

    /**
     * @param floats how many floats
     * @return a direct buffer in the platform's byte order, which ONNX Runtime reads without a copy
     */
    public static FloatBuffer allocate(int floats) {
        return ByteBuffer.allocateDirect(Math.multiplyExact(floats, Float.BYTES)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    /**
     * @param imageWidth an image's width
     * @param imageHeight its height
     * @return where this preparation puts an image of that size
     */
    public Placement place(int imageWidth, int imageHeight) {
        if (imageWidth <= 0 || imageHeight <= 0) {
            throw new IllegalArgumentException("empty image " + imageWidth + "x" + imageHeight);
        }
        return switch (fit) {
            case STRETCH -> new Placement(0, 0, width, height, imageWidth, imageHeight);
            case LETTERBOX, LETTERBOX_CORNER -> {
                double s = Math.min((double) width / imageWidth, (double) height / imageHeight);
                int w = Math.max(1, Math.min(width, (int) Math.round(imageWidth * s)));
                int h = Math.max(1, Math.min(height, (int) Math.round(imageHeight * s)));
                yield fit == Fit.LETTERBOX ? new Placement((width - w) / 2, (height - h) / 2, w, h, imageWidth, imageHeight)
                        : new Placement(0, 0, w, h, imageWidth, imageHeight);
            }
            case CROP -> {
                double s = (double) resize / Math.min(imageWidth, imageHeight);
                int w = Math.max(width, (int) Math.round(imageWidth * s));
                int h = Math.max(height, (int) Math.round(imageHeight * s));
                yield new Placement((width - w) / 2, (height - h) / 2, w, h, imageWidth, imageHeight);
            }
            case HEIGHT -> {
                int w = (int) Math.max(1, Math.min(width, Math.ceil((double) height * imageWidth / imageHeight)));
                yield new Placement(0, 0, w, height, imageWidth, imageHeight);
            }
        };
    }

    /**
     * Writes a whole image.
     *
     * @param image the image
     * @param out the tensor's buffer (its position and limit are not used or changed)
     * @param offset where this image starts in {@code out} (image {@code i} of a batch: {@code i * size()})
     * @return where the image landed on the canvas
     */
    public Placement write(BufferedImage image, FloatBuffer out, int offset) {
        return write(image, null, false, out, offset);
    }

    /**
     * Writes a region of an image, optionally turned by 180 degrees (an upside-down text line, say).
     *
     * @param image the image
     * @param region the part to write, in the image's pixels (null: all of it)
     * @param rotate180 turn the region upside down
     * @param out the tensor's buffer
     * @param offset where this image starts in {@code out}
     * @return where the region landed on the canvas
     */
    public Placement write(BufferedImage image, Rectangle region, boolean rotate180, FloatBuffer out, int offset) {
        Rectangle r = region == null ? new Rectangle(0, 0, image.getWidth(), image.getHeight())
                : region.intersection(new Rectangle(0, 0, image.getWidth(), image.getHeight()));
        if (r.isEmpty()) {
            throw new IllegalArgumentException("region " + region + " is outside the " + image.getWidth() + "x"
                    + image.getHeight() + " image");
        }
        check(out, offset);
        Placement p = place(r.width, r.height);
        Source src = Source.of(image);
        int cx0 = Math.max(0, p.x());
        int cx1 = Math.min(width, p.x() + p.width());
        int cy0 = Math.max(0, p.y());
        int cy1 = Math.min(height, p.y() + p.height());
        int n = cx1 - cx0;
        // source column of every canvas column: left neighbour (as an element index), right neighbour, weight
        int[] xa = new int[n];
        int[] xb = new int[n];
        float[] fx = new float[n];
        float sx = (float) r.width / p.width();
        for (int i = 0; i < n; i++) {
            float s = sample(cx0 + i - p.x(), sx, r.width, rotate180);
            int x0 = (int) s;
            int x1 = Math.min(r.width - 1, x0 + 1);
            fx[i] = s - x0;
            xa[i] = (r.x + x0) * src.pixelStride;
            xb[i] = (r.x + x1) * src.pixelStride;
        }
        float sy = (float) r.height / p.height();
        float[] row = new float[count * n];
        // separable: each source row needed is interpolated across once (R, G, B planes), kept while the next canvas
        // row still needs it, and two such rows are blended per canvas row
        Rows rows = new Rows(src, xa, xb, fx, r.y);
        fillRows(out, offset, 0, cy0);
        fillRows(out, offset, cy1, height);
        for (int y = cy0; y < cy1; y++) {
            float s = sample(y - p.y(), sy, r.height, rotate180);
            int y0 = (int) s;
            int y1 = Math.min(r.height - 1, y0 + 1);
            float fy = s - y0;
            float[] a = rows.get(y0, y1);
            float[] b = rows.get(y1, y0);
            blend(a, b, fy, row, n);
            writeRow(out, offset, y, cx0, cx1, row);
        }
        return p;
    }

    /**
     * @param canvas a canvas column (or row) relative to where the image starts
     * @param step source pixels per canvas pixel
     * @param size the source's width (or height)
     * @param turned the source is read backwards (turned 180 degrees)
     * @return the source position under that canvas pixel's centre, between 0 and {@code size - 1}
     */
    private static float sample(int canvas, float step, int size, boolean turned) {
        float s = Math.min(size - 1, Math.max(0, (canvas + 0.5f) * step - 0.5f));
        return turned ? size - 1 - s : s;
    }

    /**
     * Writes a whole image as 8-bit values (0..255), for models that take {@code uint8} input and normalise inside
     * (TensorFlow's object detection exports, say). Only a preparation with scale 1, mean 0 and std 1 can do this.
     *
     * @param image the image
     * @param out the tensor's buffer (its position and limit are not used or changed)
     * @param offset where this image starts in {@code out}
     * @return where the image landed on the canvas
     * @throws IllegalStateException when this preparation scales or normalises
     */
    public Placement writeBytes(BufferedImage image, ByteBuffer out, int offset) {
        for (int c = 0; c < count; c++) {
            if (mul[c] != 1f || add[c] != 0f) {
                throw new IllegalStateException("8-bit input needs scale 1, mean 0 and std 1, not " + this);
            }
        }
        if (offset < 0 || offset > out.capacity() - size()) {
            throw new IllegalArgumentException("a " + width + "x" + height + "x" + count + " image at " + offset
                    + " does not fit a buffer of " + out.capacity() + " bytes");
        }
        FloatBuffer values = FloatBuffer.allocate(size());
        Placement p = write(image, values, 0);
        float[] v = values.array();
        for (int i = 0; i < v.length; i++) {
            out.put(offset + i, (byte) Math.max(0, Math.min(255, Math.round(v[i]))));
        }
        return p;
    }

    /**
     * Writes the image seen through an affine map (a face aligned from its landmarks, say): canvas pixel
     * {@code (u, v)} shows the image at {@code imageToCanvas}'s inverse of it; canvas outside the image gets the pad
     * value.
     *
     * @param image the image
     * @param imageToCanvas where each image point lands on the canvas
     * @param out the tensor's buffer
     * @param offset where this image starts in {@code out}
     * @throws IllegalArgumentException when the map cannot be inverted
     */
    public void warp(BufferedImage image, AffineTransform imageToCanvas, FloatBuffer out, int offset) {
        warp(image, imageToCanvas, width, out, offset);
    }

    /**
     * As {@link #warp(BufferedImage, AffineTransform, FloatBuffer, int)}, with only the canvas's first {@code columns}
     * columns showing the image and the rest padded (a text line cut out level, narrower than its batch's canvas).
     *
     * @param image the image
     * @param imageToCanvas where each image point lands on the canvas
     * @param columns how many columns from the left show the image (at most the canvas's width)
     * @param out the tensor's buffer
     * @param offset where this image starts in {@code out}
     * @throws IllegalArgumentException when the map cannot be inverted
     */
    public void warp(BufferedImage image, AffineTransform imageToCanvas, int columns, FloatBuffer out, int offset) {
        check(out, offset);
        AffineTransform inverse;
        try {
            inverse = imageToCanvas.createInverse();
        } catch (NoninvertibleTransformException e) {
            throw new IllegalArgumentException("the image cannot be mapped onto the canvas: " + e.getMessage(), e);
        }
        double[] m = new double[6];
        inverse.getMatrix(m); // x' = m0 x + m2 y + m4, y' = m1 x + m3 y + m5
        Source src = Source.of(image);
        int w = image.getWidth();
        int h = image.getHeight();
        float[] row = new float[count * width];
        float[] planes = new float[3 * width];
        boolean[] outside = new boolean[width];
        int shown = Math.max(0, Math.min(width, columns));
        for (int v = 0; v < height; v++) {
            // pixel centres: the image point under each canvas pixel's centre, as a position between samples,
            // stepped along the row
            double cy = v + 0.5;
            double ix = m[0] * 0.5 + m[2] * cy + m[4] - 0.5;
            double iy = m[1] * 0.5 + m[3] * cy + m[5] - 0.5;
            boolean anyOutside = false;
            for (int u = 0; u < shown; u++, ix += m[0], iy += m[1]) {
                if (ix < -0.5 || iy < -0.5 || ix > w - 0.5 || iy > h - 0.5) {
                    outside[u] = true;
                    anyOutside = true;
                    continue;
                }
                outside[u] = false;
                double px = Math.max(0, Math.min(w - 1, ix));
                double py = Math.max(0, Math.min(h - 1, iy));
                int x0 = (int) px;
                int y0 = (int) py;
                int x1 = Math.min(w - 1, x0 + 1);
                int y1 = Math.min(h - 1, y0 + 1);
                int ra = src.base + y0 * src.rowStride;
                int rb = src.base + y1 * src.rowStride;
                src.sample(ra + x0 * src.pixelStride, ra + x1 * src.pixelStride, rb + x0 * src.pixelStride,
                        rb + x1 * src.pixelStride, (float) (px - x0), (float) (py - y0), planes, u, width);
            }
            // normalised in one pass; then the pad where the canvas shows no image
            blend(planes, planes, 0, row, width);
            for (int c = 0; c < count; c++) {
                int at = c * width;
                for (int u = shown; u < width; u++) {
                    row[at + u] = pad[c];
                }
                for (int u = 0; anyOutside && u < shown; u++) {
                    if (outside[u]) {
                        row[at + u] = pad[c];
                    }
                }
            }
            writeRow(out, offset, v, 0, width, row);
        }
    }

    private void check(FloatBuffer out, int offset) {
        if (offset < 0 || offset > out.capacity() - size()) {
            throw new IllegalArgumentException("a " + width + "x" + height + "x" + count + " image at " + offset
                    + " does not fit a buffer of " + out.capacity() + " floats");
        }
    }

    /**
     * Two horizontally interpolated source rows (R, G, B planes of {@code n} each) blended vertically, normalised and
     * put in the tensor's channel order: planar, {@code count} runs of {@code n}.
     */
    private void blend(float[] a, float[] b, float fy, float[] row, int n) {
        if (channels == Channels.GREY) {
            float m = mul[0];
            float k = add[0];
            for (int i = 0; i < n; i++) {
                float red = a[i] + (b[i] - a[i]) * fy;
                float green = a[n + i] + (b[n + i] - a[n + i]) * fy;
                float blue = a[2 * n + i] + (b[2 * n + i] - a[2 * n + i]) * fy;
                row[i] = (0.299f * red + 0.587f * green + 0.114f * blue) * m + k;
            }
            return;
        }
        for (int c = 0; c < 3; c++) {
            int from = (channels == Channels.RGB ? c : 2 - c) * n;
            int to = c * n;
            float m = mul[c];
            float k = add[c];
            for (int i = 0; i < n; i++) {
                float v = a[from + i] + (b[from + i] - a[from + i]) * fy;
                row[to + i] = v * m + k;
            }
        }
    }

    /** Canvas row {@code y}: the pad, with columns {@code x0..x1} from the planar {@code row}. */
    private void writeRow(FloatBuffer out, int offset, int y, int x0, int x1, float[] row) {
        int n = x1 - x0;
        if (layout == Layout.NCHW) {
            int plane = width * height;
            for (int c = 0; c < count; c++) {
                int at = offset + c * plane + y * width;
                out.put(at, padRows[c], 0, x0);
                out.put(at + x0, row, c * n, n);
                out.put(at + x1, padRows[c], 0, width - x1);
            }
        } else {
            int at = offset + y * width * count;
            for (int x = 0; x < x0; x++) {
                out.put(at + x * count, pad, 0, count);
            }
            float[] interleaved = new float[n * count];
            for (int c = 0; c < count; c++) {
                for (int i = 0; i < n; i++) {
                    interleaved[i * count + c] = row[c * n + i];
                }
            }
            out.put(at + x0 * count, interleaved, 0, n * count);
            for (int x = x1; x < width; x++) {
                out.put(at + x * count, pad, 0, count);
            }
        }
    }

    private void fillRows(FloatBuffer out, int offset, int y0, int y1) {
        if (y1 <= y0) {
            return;
        }
        float[] row = new float[count * width];
        for (int c = 0; c < count; c++) {
            Arrays.fill(row, c * width, (c + 1) * width, pad[c]);
        }
        for (int y = y0; y < y1; y++) {
            writeRow(out, offset, y, 0, width, row);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%dx%d %s %s %s scale %s mean %s std %s", width, height, fit, channels, layout,
                scale, Arrays.toString(mean), Arrays.toString(std));
    }

    /** How to build a {@link Preprocessor}. */
    public static final class Builder {
        private final int width;
        private final int height;
        private Fit fit = Fit.STRETCH;
        private int resize;
        private Layout layout = Layout.NCHW;
        private Channels channels = Channels.RGB;
        private float scale = 1 / 255f;
        private float[] mean = {0};
        private float[] std = {1};
        private float padPixel;
        private float padValue = Float.NaN;

        Builder copy() {
            return copy(width, height);
        }

        Builder copy(int newWidth, int newHeight) {
            Builder b = new Builder(newWidth, newHeight);
            b.fit = fit;
            b.resize = resize;
            b.layout = layout;
            b.channels = channels;
            b.scale = scale;
            b.mean = mean.clone();
            b.std = std.clone();
            b.padPixel = padPixel;
            b.padValue = padValue;
            return b;
        }

        private Builder(int width, int height) {
            if (width <= 0 || height <= 0 || (long) width * height > ImageDecoder.MAX_PIXELS) {
                throw new IllegalArgumentException("canvas " + width + "x" + height + " out of range");
            }
            this.width = width;
            this.height = height;
        }

        /**
         * @param value how images are placed
         * @return this
         */
        public Builder fit(Fit value) {
            this.fit = value;
            return this;
        }

        /**
         * @param shorterSide for {@link Fit#CROP}: the shorter side's length before the centre is cut out (default:
         *        the canvas's shorter side, no margin)
         * @return this
         */
        public Builder resize(int shorterSide) {
            if (shorterSide < Math.min(width, height)) {
                throw new IllegalArgumentException("resize " + shorterSide + " is smaller than the " + width + "x"
                        + height + " crop");
            }
            this.resize = shorterSide;
            return this;
        }

        /**
         * @param value tensor layout
         * @return this
         */
        public Builder layout(Layout value) {
            this.layout = value;
            return this;
        }

        /**
         * @param value channels and their order
         * @return this
         */
        public Builder channels(Channels value) {
            this.channels = value;
            return this;
        }

        /**
         * @param value factor on 0..255 pixel values before the mean is subtracted (1/255 by default; 1 keeps 0..255)
         * @return this
         */
        public Builder scale(float value) {
            this.scale = value;
            return this;
        }

        /**
         * @param values per-channel mean, in scaled units, in the tensor's channel order (one value: all channels)
         * @return this
         */
        public Builder mean(float... values) {
            this.mean = values.clone();
            return this;
        }

        /**
         * @param values per-channel standard deviation, in scaled units (one value: all channels)
         * @return this
         */
        public Builder std(float... values) {
            this.std = values.clone();
            return this;
        }

        /**
         * @param grey the 0..255 grey of the canvas outside the image, normalised as the image is (YOLO: 114)
         * @return this
         */
        public Builder padPixel(int grey) {
            this.padPixel = grey;
            this.padValue = Float.NaN;
            return this;
        }

        /**
         * @param value the tensor value outside the image, as is (PaddleOCR pads its normalised lines with 0)
         * @return this
         */
        public Builder padValue(float value) {
            this.padValue = value;
            return this;
        }

        /** @return the preprocessor */
        public Preprocessor build() {
            return new Preprocessor(this);
        }
    }

    /** The last two source rows interpolated across (R, G, B planes), computed when first needed. */
    private static final class Rows {
        private final Source src;
        private final int[] xa;
        private final int[] xb;
        private final float[] fx;
        private final int top;
        private final float[][] planes;
        private final int[] index = {-1, -1};

        Rows(Source src, int[] xa, int[] xb, float[] fx, int top) {
            this.src = src;
            this.xa = xa;
            this.xb = xb;
            this.fx = fx;
            this.top = top;
            this.planes = new float[][] {new float[3 * xa.length], new float[3 * xa.length]};
        }

        /** Row {@code y} of the region, keeping row {@code keep} if it is one of the two held. */
        float[] get(int y, int keep) {
            if (index[0] == y) {
                return planes[0];
            }
            if (index[1] == y) {
                return planes[1];
            }
            int slot = index[0] == keep ? 1 : 0;
            src.horizontal(src.base + (top + y) * src.rowStride, xa, xb, fx, planes[slot]);
            index[slot] = y;
            return planes[slot];
        }
    }

    /** An image's pixels where they are: packed ints (RGB) or interleaved bytes, no copy. */
    private static final class Source {
        private final byte[] bytes;
        private final int[] ints;
        private final int base;
        private final int rowStride;
        private final int pixelStride;
        private final int r;
        private final int g;
        private final int b;

        private Source(byte[] bytes, int[] ints, int base, int rowStride, int pixelStride, int r, int g, int b) {
            this.bytes = bytes;
            this.ints = ints;
            this.base = base;
            this.rowStride = rowStride;
            this.pixelStride = pixelStride;
            this.r = r;
            this.g = g;
            this.b = b;
        }

        static Source of(BufferedImage image) {
            Raster raster = image.getRaster();
            int tx = -raster.getSampleModelTranslateX();
            int ty = -raster.getSampleModelTranslateY();
            int type = image.getType();
            if ((type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_BYTE_GRAY)
                    && raster.getSampleModel() instanceof ComponentSampleModel sm
                    && raster.getDataBuffer() instanceof DataBufferByte db && db.getNumBanks() == 1) {
                int[] offsets = sm.getBandOffsets();
                int base = db.getOffset() + ty * sm.getScanlineStride() + tx * sm.getPixelStride();
                return offsets.length >= 3
                        ? new Source(db.getData(), null, base, sm.getScanlineStride(), sm.getPixelStride(), offsets[0],
                                offsets[1], offsets[2])
                        : new Source(db.getData(), null, base, sm.getScanlineStride(), sm.getPixelStride(), offsets[0],
                                offsets[0], offsets[0]);
            }
            if ((type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB && opaque(image))
                    && raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm
                    && raster.getDataBuffer() instanceof DataBufferInt db && db.getNumBanks() == 1) {
                int base = db.getOffset() + ty * sm.getScanlineStride() + tx;
                return new Source(null, db.getData(), base, sm.getScanlineStride(), 1, 16, 8, 0);
            }
            // any other layout (palette, 16-bit, alpha): drawn once as 3-byte BGR, transparency over white
            BufferedImage bgr = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D gr = bgr.createGraphics();
            try {
                if (image.getColorModel().hasAlpha()) {
                    gr.setColor(Color.WHITE);
                    gr.fillRect(0, 0, bgr.getWidth(), bgr.getHeight());
                }
                gr.drawImage(image, 0, 0, null);
            } finally {
                gr.dispose();
            }
            return of(bgr);
        }

        private static boolean opaque(BufferedImage image) {
            return image.getTransparency() == java.awt.Transparency.OPAQUE;
        }

        /** One source row (starting at element {@code base}) interpolated at every column: R, G, B planes. */
        void horizontal(int base, int[] xa, int[] xb, float[] fx, float[] planes) {
            int n = xa.length;
            if (bytes != null) {
                byte[] p = bytes;
                for (int i = 0; i < n; i++) {
                    int a = base + xa[i];
                    int c = base + xb[i];
                    float w = fx[i];
                    int r0 = p[a + r] & 0xff;
                    int g0 = p[a + g] & 0xff;
                    int b0 = p[a + b] & 0xff;
                    planes[i] = r0 + ((p[c + r] & 0xff) - r0) * w;
                    planes[n + i] = g0 + ((p[c + g] & 0xff) - g0) * w;
                    planes[2 * n + i] = b0 + ((p[c + b] & 0xff) - b0) * w;
                }
            } else {
                int[] p = ints;
                for (int i = 0; i < n; i++) {
                    int pa = p[base + xa[i]];
                    int pc = p[base + xb[i]];
                    float w = fx[i];
                    int r0 = pa >> r & 0xff;
                    int g0 = pa >> g & 0xff;
                    int b0 = pa >> b & 0xff;
                    planes[i] = r0 + ((pc >> r & 0xff) - r0) * w;
                    planes[n + i] = g0 + ((pc >> g & 0xff) - g0) * w;
                    planes[2 * n + i] = b0 + ((pc >> b & 0xff) - b0) * w;
                }
            }
        }

        /**
         * The bilinear mix of four pixels (element indices a, b above; c, d below) as 0..255 floats into R, G, B
         * planes of {@code n}, at column {@code i}.
         */
        void sample(int a, int b2, int c, int d, float wx, float wy, float[] planes, int i, int n) {
            if (bytes != null) {
                byte[] p = bytes;
                planes[i] = mix(p[a + r] & 0xff, p[b2 + r] & 0xff, p[c + r] & 0xff, p[d + r] & 0xff, wx, wy);
                planes[n + i] = mix(p[a + g] & 0xff, p[b2 + g] & 0xff, p[c + g] & 0xff, p[d + g] & 0xff, wx, wy);
                planes[2 * n + i] = mix(p[a + b] & 0xff, p[b2 + b] & 0xff, p[c + b] & 0xff, p[d + b] & 0xff, wx, wy);
            } else {
                int pa = ints[a];
                int pb = ints[b2];
                int pc = ints[c];
                int pd = ints[d];
                planes[i] = mix(pa >> r & 0xff, pb >> r & 0xff, pc >> r & 0xff, pd >> r & 0xff, wx, wy);
                planes[n + i] = mix(pa >> g & 0xff, pb >> g & 0xff, pc >> g & 0xff, pd >> g & 0xff, wx, wy);
                planes[2 * n + i] = mix(pa >> b & 0xff, pb >> b & 0xff, pc >> b & 0xff, pd >> b & 0xff, wx, wy);
            }
        }

        private static float mix(int a, int b, int c, int d, float wx, float wy) {
            float top = a + (b - a) * wx;
            float bottom = c + (d - c) * wx;
            return top + (bottom - top) * wy;
        }
    }
}
