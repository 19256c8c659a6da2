package hub.core.internal.request;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import hub.api.inference.CapacityException;
import hub.api.inference.ImageTooLargeException;
import hub.api.task.ImageInput;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.Test;

public class DecodeBudgetTest {
    private static ImageInput png(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR), "png", out);
        return new ImageInput(w + "x" + h + ".png", out.toByteArray());
    }

    /** Only a PNG's signature and header: enough to know what it would decode to, nothing to decode. */
    private static ImageInput pngHeader(int w, int h, int bits, int colourType) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.write(new byte[] {(byte) bits, (byte) colourType, 0, 0, 0});
        DataOutputStream o = new DataOutputStream(png);
        o.writeInt(13);
        byte[] type = "IHDR".getBytes(StandardCharsets.US_ASCII);
        o.write(type);
        o.write(ihdr.toByteArray());
        CRC32 crc = new CRC32();
        crc.update(type);
        crc.update(ihdr.toByteArray());
        o.writeInt((int) crc.getValue());
        return new ImageInput("bomb.png", png.toByteArray());
    }

    @Test
    public void anImageOverThePerImageLimitIsRefusedBeforeDecodingNamingItsSize() throws IOException {
        DecodeBudget budget = new DecodeBudget(256L << 20, 1L << 30, 1);
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class,
                () -> budget.reserve(List.of(pngHeader(10_000, 10_000, 16, 6))));
        assertTrue(e.getMessage(), e.getMessage().contains("bomb.png: 10000x10000 png, 4 x 16-bit samples (800 MB "
                + "decoded) is over the limit of 268 MB"));
        assertEquals("nothing held after a refusal", (1 << 30) >> 10, budget.available());
    }

    @Test
    public void requestsShareTheBudgetWaitForRoomAndGiveItBack() throws Exception {
        ImageInput image = png(1000, 1000); // 3 MB decoded
        DecodeBudget budget = new DecodeBudget(64L << 20, 5L << 20, 1);
        DecodeBudget.Permit first = budget.reserve(List.of(image));
        long start = System.nanoTime();
        assertThrows(CapacityException.class, () -> budget.reserve(List.of(image))); // 6 MB > 5 MB: waits, refused
        assertTrue((System.nanoTime() - start) / 1e9 >= 0.9);
        first.close();
        first.close(); // idempotent
        try (DecodeBudget.Permit second = budget.reserve(List.of(image))) {
            assertEquals(((5 << 20) - 3_000_000) >> 10, budget.available(), 1);
        }
        assertEquals((5 << 20) >> 10, budget.available());
        ImageTooLargeException all = assertThrows(ImageTooLargeException.class,
                () -> budget.reserve(List.of(image, image)));
        assertTrue(all.getMessage(), all.getMessage().contains("over the decoding budget"));
    }

    @Test
    public void anUnreadableImageHoldsNothingItsErrorComesFromTheLoader() {
        DecodeBudget budget = new DecodeBudget(1 << 20, 1 << 20, 0);
        try (DecodeBudget.Permit p = budget.reserve(List.of(new ImageInput("x", new byte[] {1, 2, 3})))) {
            assertEquals(1024, budget.available());
        }
    }
}
