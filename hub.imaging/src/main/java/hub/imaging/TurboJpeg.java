package hub.imaging;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.lang.System.Logger.Level;

/**
 * JPEG decoding through libjpeg-turbo's TurboJPEG API (Debian's {@code libturbojpeg0}), reached through JNA: SIMD
 * decoding several times faster than ImageIO's libjpeg 6b, and scaled decoding in the DCT domain (1/8 to 7/8) when the
 * caller needs fewer pixels than the image has. Absent the library (or JNA), {@link #available()} is false and
 * {@link ImageDecoder} decodes with ImageIO as before.
 */
final class TurboJpeg {
    private static final System.Logger LOG = System.getLogger(TurboJpeg.class.getName());
    /** TJPF_BGR: B, G, R bytes per pixel, the layout of {@link BufferedImage#TYPE_3BYTE_BGR}. */
    private static final int TJPF_BGR = 1;
    /** TJPF_GRAY. */
    private static final int TJPF_GRAY = 6;
    /** TJFLAG_STOPONWARNING: a damaged or truncated file is an error, as on the ImageIO path. */
    private static final int TJFLAG_STOPONWARNING = 8192;
    /** TJCS_GRAY. */
    private static final int TJCS_GRAY = 2;
    /** TJCS_CMYK and TJCS_YCCK: TurboJPEG cannot convert them to RGB; ImageIO's path does. */
    private static final int TJCS_CMYK = 3;
    private static final int TJCS_YCCK = 4;
    /** The scaling factors libjpeg-turbo decodes at (of its 16), largest reduction first. */
    private static final int[][] FACTORS = {{1, 8}, {1, 4}, {3, 8}, {1, 2}, {5, 8}, {3, 4}, {7, 8}, {1, 1}};

    /** The C API (turbojpeg.h, API version 2); sizes are C {@code unsigned long}s, hence {@link NativeLong}. */
    interface Api extends Library {
        Pointer tjInitDecompress();

        int tjDecompressHeader3(Pointer handle, Pointer jpeg, NativeLong size, IntByReference width, IntByReference height,
                IntByReference subsamp, IntByReference colorspace);

        int tjDecompress2(Pointer handle, Pointer jpeg, NativeLong size, Pointer dst, int width, int pitch, int height,
                int pixelFormat, int flags);

        String tjGetErrorStr2(Pointer handle);

        int tjDestroy(Pointer handle);
    }

    private static final Api API = load();

    private TurboJpeg() {
    }

    private static Api load() {
        if ("false".equals(System.getProperty("hub.imaging.turbojpeg"))) {
            return null; // switched off, for comparisons
        }
        try {
            Api api = Native.load("turbojpeg", Api.class);
            LOG.log(Level.DEBUG, "decoding JPEG with libjpeg-turbo");
            return api;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            LOG.log(Level.INFO, "libjpeg-turbo (libturbojpeg0) not found: JPEG decoding uses ImageIO ({0})",
                    e.getMessage());
            return null;
        }
    }

    /** @return whether libjpeg-turbo is there */
    static boolean available() {
        return API != null;
    }

    /**
     * @param width the image's width
     * @param height its height
     * @param minWidth the width needed at least (0: full size)
     * @param minHeight the height needed at least (0: full size)
     * @return the {numerator, denominator} of the largest reduction that keeps the image at least the needed size
     */
    static int[] factor(int width, int height, int minWidth, int minHeight) {
        if (minWidth <= 0 || minHeight <= 0) {
            return new int[] {1, 1};
        }
        for (int[] f : FACTORS) {
            if (scaled(width, f) >= minWidth && scaled(height, f) >= minHeight) {
                return f;
            }
        }
        return new int[] {1, 1};
    }

    /** TJSCALED: a dimension at a scaling factor, rounded up. */
    static int scaled(int dimension, int[] f) {
        return (dimension * f[0] + f[1] - 1) / f[1];
    }

    /**
     * Decodes a JPEG at the scale that keeps it at least the needed size.
     *
     * @param jpeg the file's bytes
     * @param minWidth the width needed at least (0: full size)
     * @param minHeight the height needed at least (0: full size)
     * @param maxDecodedBytes the most bytes the decoded pixels may take
     * @return the image (3-byte BGR, or grey for a greyscale file) with the original size, or null when this path does
     *         not apply (CMYK/YCCK files, which ImageIO converts)
     * @throws IllegalArgumentException when the file is damaged, truncated or too large
     */
    static Decoded decode(byte[] jpeg, int minWidth, int minHeight, long maxDecodedBytes) {
        Pointer handle = API.tjInitDecompress();
        if (handle == null) {
            return null;
        }
        // the file and the pixels in native memory, copied once each way: a Java array argument would be copied in
        // and back out by JNA on every call
        try (Memory src = new Memory(jpeg.length)) {
            src.write(0, jpeg, 0, jpeg.length);
            IntByReference w = new IntByReference();
            IntByReference h = new IntByReference();
            IntByReference subsamp = new IntByReference();
            IntByReference colorspace = new IntByReference();
            if (API.tjDecompressHeader3(handle, src, new NativeLong(jpeg.length), w, h, subsamp, colorspace) != 0) {
                throw new IllegalArgumentException("cannot decode image: " + API.tjGetErrorStr2(handle));
            }
            int cs = colorspace.getValue();
            if (cs == TJCS_CMYK || cs == TJCS_YCCK) {
                return null;
            }
            int[] f = factor(w.getValue(), h.getValue(), minWidth, minHeight);
            int sw = scaled(w.getValue(), f);
            int sh = scaled(h.getValue(), f);
            boolean gray = cs == TJCS_GRAY;
            int channels = gray ? 1 : 3;
            if ((long) sw * sh * channels > maxDecodedBytes) {
                throw new IllegalArgumentException("image " + w.getValue() + "x" + h.getValue()
                        + " is too large to decode (at most " + ImageDecoder.megabytes(maxDecodedBytes) + ")");
            }
            BufferedImage image = new BufferedImage(sw, sh, gray ? BufferedImage.TYPE_BYTE_GRAY
                    : BufferedImage.TYPE_3BYTE_BGR);
            byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            try (Memory dst = new Memory(pixels.length)) {
                if (API.tjDecompress2(handle, src, new NativeLong(jpeg.length), dst, sw, sw * channels, sh,
                        gray ? TJPF_GRAY : TJPF_BGR, TJFLAG_STOPONWARNING) != 0) {
                    throw new IllegalArgumentException("truncated or damaged image: " + API.tjGetErrorStr2(handle));
                }
                dst.read(0, pixels, 0, pixels.length);
            }
            return new Decoded(image, w.getValue(), h.getValue());
        } finally {
            API.tjDestroy(handle);
        }
    }
}
