package hub.imaging;

/**
 * What an encoded image will decode to, read from its header without decoding it.
 *
 * @param format the format's name (jpeg, png, bmp, gif)
 * @param width pixels
 * @param height pixels
 * @param bands samples per pixel (3 for RGB, 4 with alpha or CMYK, 1 for grey)
 * @param bytesPerSample 1, or 2 for 16-bit images
 */
public record ImageHeader(String format, int width, int height, int bands, int bytesPerSample) {
    /** @return the decoded size in bytes: width x height x bands x bytes per sample */
    public long decodedBytes() {
        return (long) width * height * bands * bytesPerSample;
    }

    /** @return e.g. {@code 10000x10000 png, 4 x 16-bit samples (800 MB decoded)} */
    public String describe() {
        return width + "x" + height + " " + format + ", " + bands + " x " + bytesPerSample * 8 + "-bit samples ("
                + ImageDecoder.megabytes(decodedBytes()) + " decoded)";
    }
}
