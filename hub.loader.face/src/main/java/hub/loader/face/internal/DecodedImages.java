package hub.loader.face.internal;

import hub.api.task.ImageInput;
import hub.imaging.ImageDecoder;
import java.awt.image.BufferedImage;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The face pipeline decodes each image twice through the API (detect faces, then embed them from the same
 * {@link ImageInput}); this keeps the decoded image of the few most recent inputs, keyed by their byte array's
 * identity (arrays compare by identity), weakly: an entry goes when the caller drops its input. A checksum of the
 * bytes guards against a caller that refills the same array with another image (a video loop, say).
 */
final class DecodedImages {
    private static final int KEEP = 8;
    private record Decoded(long checksum, BufferedImage image) {
    }

    private final Map<byte[], Decoded> recent = new WeakHashMap<>();

    BufferedImage decode(ImageInput image) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(image.data());
        long checksum = crc.getValue();
        synchronized (this) {
            Decoded cached = recent.get(image.data());
            if (cached != null && cached.checksum() == checksum) {
                return cached.image();
            }
        }
        BufferedImage decoded = ImageDecoder.decode(image);
        synchronized (this) {
            if (recent.size() >= KEEP) {
                recent.clear();
            }
            recent.put(image.data(), new Decoded(checksum, decoded));
        }
        return decoded;
    }
}
