package hub.loader.ocr.internal;

import static org.junit.Assert.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.OptionalInt;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.Test;

/** The resolution an image file states: PNG pHYs, JPEG JFIF density; none where it states none or a placeholder. */
public class ImageResolutionTest {
    private static byte[] encode(String format, int dpi) throws Exception {
        BufferedImage img = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
        if (dpi > 0 && format.equals("png")) {
            IIOMetadataNode phys = new IIOMetadataNode("pHYs");
            int perMetre = (int) Math.round(dpi / 0.0254);
            phys.setAttribute("pixelsPerUnitXAxis", Integer.toString(perMetre));
            phys.setAttribute("pixelsPerUnitYAxis", Integer.toString(perMetre));
            phys.setAttribute("unitSpecifier", "meter");
            IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
            root.appendChild(phys);
            meta.mergeTree("javax_imageio_png_1.0", root);
        } else if (dpi > 0) {
            IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree("javax_imageio_jpeg_image_1.0");
            IIOMetadataNode jfif = (IIOMetadataNode) root.getElementsByTagName("app0JFIF").item(0);
            jfif.setAttribute("resUnits", "1");
            jfif.setAttribute("Xdensity", Integer.toString(dpi));
            jfif.setAttribute("Ydensity", Integer.toString(dpi));
            meta.setFromTree("javax_imageio_jpeg_image_1.0", root);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream s = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(s);
            writer.write(new javax.imageio.IIOImage(img, null, meta));
        }
        writer.dispose();
        return out.toByteArray();
    }

    @Test
    public void aStatedResolutionIsReadFromPngAndJpeg() throws Exception {
        assertEquals(OptionalInt.of(300), ImageResolution.dpi(encode("png", 300)));
        assertEquals(OptionalInt.of(600), ImageResolution.dpi(encode("jpeg", 600)));
    }

    @Test
    public void noneOrAPlaceholderLeavesItToTesseract() throws Exception {
        assertEquals(OptionalInt.empty(), ImageResolution.dpi(encode("png", 0)));
        assertEquals("72 dpi is a screen placeholder", OptionalInt.empty(), ImageResolution.dpi(encode("png", 72)));
        assertEquals(OptionalInt.empty(), ImageResolution.dpi(new byte[] {1, 2, 3}));
        assertEquals(OptionalInt.empty(), ImageResolution.dpi(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0, 0, 0}));
    }
}
