package hub.imaging;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * PNG decoding through libpng's simplified API ({@code png_image_*}, libpng 1.6, Debian's {@code libpng16-16}),
 * reached through JNA: about three times faster than ImageIO's PNG reader, which filters every row in Java.
 * Transparency is composited over white and 16-bit or palette images come out as 8-bit BGR, as the ImageIO path
 * gives them to a model. Absent library or JNA: ImageIO decodes PNG.
 */
final class LibPng {
    private static final System.Logger LOG = System.getLogger(LibPng.class.getName());
    /** PNG_IMAGE_VERSION. */
    private static final int VERSION = 1;
    /** PNG_FORMAT_BGR: PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_BGR, 8 bits, no alpha. */
    private static final int FORMAT_BGR = 0x02 | 0x10;
    /** sizeof(png_image) on LP64: opaque pointer, seven png_uint_32, char message[64], padded to 8. */
    private static final int IMAGE_SIZE = 104;
    private static final int OFFSET_VERSION = 8;
    private static final int OFFSET_WIDTH = 12;
    private static final int OFFSET_HEIGHT = 16;
    private static final int OFFSET_FORMAT = 20;
    private static final int OFFSET_MESSAGE = 36;

    /** libpng's simplified read API (png.h, 1.6). */
    interface Api extends Library {
        int png_image_begin_read_from_memory(Pointer image, Pointer memory, NativeLong size);

        int png_image_finish_read(Pointer image, Pointer background, Pointer buffer, int rowStride, Pointer colormap);

        void png_image_free(Pointer image);
    }

    private static final Api API = load();

    private LibPng() {
    }

    private static Api load() {
        if ("false".equals(System.getProperty("hub.imaging.libpng")) || Native.POINTER_SIZE != 8) {
            return null; // switched off (for comparisons), or not the LP64 layout described above
        }
        try {
            Api api = Native.load("png16", Api.class);
            LOG.log(Level.DEBUG, "decoding PNG with libpng");
            return api;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            LOG.log(Level.INFO, "libpng (libpng16-16) not found: PNG decoding uses ImageIO ({0})", e.getMessage());
            return null;
        }
    }

    /** @return whether libpng is there */
    static boolean available() {
        return API != null;
    }

    /**
     * Decodes a PNG at full size.
     *
     * @param png the file's bytes
     * @param maxDecodedBytes the most bytes the decoded pixels may take
     * @return the image as 3-byte BGR, with its size
     * @throws IllegalArgumentException when the file is damaged, truncated or too large
     */
    static Decoded decode(byte[] png, long maxDecodedBytes) {
        try (Memory image = new Memory(IMAGE_SIZE); Memory src = new Memory(png.length)) {
            image.clear();
            image.setInt(OFFSET_VERSION, VERSION);
            src.write(0, png, 0, png.length);
            if (API.png_image_begin_read_from_memory(image, src, new NativeLong(png.length)) == 0) {
                throw new IllegalArgumentException("cannot decode image: " + message(image));
            }
            try {
                int w = image.getInt(OFFSET_WIDTH);
                int h = image.getInt(OFFSET_HEIGHT);
                if (w <= 0 || h <= 0 || (long) w * h * 3 > maxDecodedBytes) {
                    throw new IllegalArgumentException("image " + Integer.toUnsignedString(w) + "x"
                            + Integer.toUnsignedString(h) + " is too large to decode (at most "
                            + ImageDecoder.megabytes(maxDecodedBytes) + ")");
                }
                image.setInt(OFFSET_FORMAT, FORMAT_BGR);
                BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
                byte[] pixels = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
                try (Memory dst = new Memory(pixels.length); Memory white = new Memory(3)) {
                    white.setByte(0, (byte) 255);
                    white.setByte(1, (byte) 255);
                    white.setByte(2, (byte) 255);
                    if (API.png_image_finish_read(image, white, dst, w * 3, null) == 0) {
                        throw new IllegalArgumentException("truncated or damaged image: " + message(image));
                    }
                    dst.read(0, pixels, 0, pixels.length);
                }
                return new Decoded(out, w, h);
            } finally {
                API.png_image_free(image); // a no-op once finish_read has run (it frees as it ends)
            }
        }
    }

    private static String message(Memory image) {
        byte[] m = image.getByteArray(OFFSET_MESSAGE, 64);
        int n = 0;
        while (n < m.length && m[n] != 0) {
            n++;
        }
        return new String(m, 0, n, StandardCharsets.US_ASCII);
    }
}
