package hub.core.internal.store;

import hub.api.Checksum;
import hub.api.ChecksumService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.osgi.service.component.annotations.Component;

/** Streaming SHA-256: one pass, fixed buffer, any file size. */
@Component(service = ChecksumService.class)
public class Sha256ChecksumService implements ChecksumService {
    private static final int BUFFER = 1 << 16;

    /** @return a fresh SHA-256 digest */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM offers no SHA-256", e);
        }
    }

    /**
     * @param digest a finished digest
     * @return its lower-case hex form
     */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public Checksum checksum(Path file) throws IOException {
        MessageDigest md = newDigest();
        long size = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
            int n;
            while ((n = ch.read(buf)) >= 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
                size += n;
            }
        }
        return new Checksum(hex(md), size);
    }

    @Override
    public Checksum checksum(InputStream in) throws IOException {
        MessageDigest md = newDigest();
        byte[] buf = new byte[BUFFER];
        long size = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            md.update(buf, 0, n);
            size += n;
        }
        return new Checksum(hex(md), size);
    }
}
