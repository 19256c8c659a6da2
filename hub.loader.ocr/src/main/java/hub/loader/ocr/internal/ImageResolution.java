package hub.loader.ocr.internal;

import java.util.OptionalInt;

/**
 * The resolution an image file states, in dots per inch: a PNG's {@code pHYs} chunk or a JPEG's JFIF density. An image
 * that states none (or an aspect-only density) gives nothing, and Tesseract then estimates it from the text's size, as
 * its command line does.
 */
final class ImageResolution {
    private ImageResolution() {
    }

    /**
     * @param bytes the encoded image
     * @return its stated vertical resolution, if it states one
     */
    static OptionalInt dpi(byte[] bytes) {
        if (bytes.length > 8 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
            return png(bytes);
        }
        if (bytes.length > 4 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xD8) {
            return jpeg(bytes);
        }
        return OptionalInt.empty();
    }

    private static OptionalInt png(byte[] b) {
        int at = 8;
        while (at + 8 <= b.length) {
            long length = u32(b, at);
            String type = new String(b, at + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
            if (type.equals("pHYs") && length == 9 && at + 17 <= b.length) {
                long perMetre = u32(b, at + 12); // y pixels per unit
                return b[at + 16] == 1 ? credible(Math.round(perMetre * 0.0254)) : OptionalInt.empty();
            }
            if (type.equals("IDAT") || type.equals("IEND") || length > b.length) {
                break; // pHYs comes before the image data
            }
            at += 12 + (int) length;
        }
        return OptionalInt.empty();
    }

    private static OptionalInt jpeg(byte[] b) {
        int at = 2;
        while (at + 4 <= b.length && (b[at] & 0xff) == 0xFF) {
            int marker = b[at + 1] & 0xff;
            int length = (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
            if (marker == 0xE0 && length >= 14 && at + 16 <= b.length && b[at + 4] == 'J' && b[at + 5] == 'F'
                    && b[at + 6] == 'I' && b[at + 7] == 'F' && b[at + 8] == 0) {
                int units = b[at + 11];
                int y = (b[at + 14] & 0xff) << 8 | b[at + 15] & 0xff;
                return units == 1 ? credible(y) : units == 2 ? credible(Math.round(y * 2.54)) : OptionalInt.empty();
            }
            if (marker == 0xDA) {
                break; // the scan starts: no more headers
            }
            at += 2 + length;
        }
        return OptionalInt.empty();
    }

    /** Tesseract's own credible range; outside it a stated resolution is a placeholder (72 dpi screenshots too). */
    private static OptionalInt credible(long dpi) {
        return dpi >= 100 && dpi <= 2400 ? OptionalInt.of((int) dpi) : OptionalInt.empty();
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) << 24 | (b[at + 1] & 0xffL) << 16 | (b[at + 2] & 0xffL) << 8 | b[at + 3] & 0xffL;
    }
}
