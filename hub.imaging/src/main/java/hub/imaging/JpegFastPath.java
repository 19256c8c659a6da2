package hub.imaging;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.Node;

/**
 * JPEG decoding without ImageIO's colour conversion, which costs more than the decoding itself: the raw Y'CbCr
 * samples ({@link ImageReader#readRaster}) are converted to BGR here with JFIF's integer arithmetic. Only for the
 * files whose colour space is certain (a JFIF marker, or three components and no Adobe marker, as JFIF and Exif
 * files from cameras and the web are); anything else takes ImageIO's full path.
 */
final class JpegFastPath {
    private static final String FORMAT = "javax_imageio_jpeg_image_1.0";
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        // fixed point, 16 fraction bits, as libjpeg's jdcolor.c
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (int) Math.round(1.40200 * 65536) * x + 32768 >> 16;
            CB_B[i] = (int) Math.round(1.77200 * 65536) * x + 32768 >> 16;
            CR_G[i] = -(int) Math.round(0.71414 * 65536) * x;
            CB_G[i] = -(int) Math.round(0.34414 * 65536) * x + 32768;
        }
    }

    private JpegFastPath() {
    }

    /** @return the image, or null when this path does not apply and ImageIO's own must decode it */
    static BufferedImage read(ImageReader reader, javax.imageio.ImageReadParam param) throws IOException {
        if (!"jpeg".equalsIgnoreCase(reader.getFormatName())) {
            return null;
        }
        IIOMetadata metadata = reader.getImageMetadata(0);
        if (metadata == null || !java.util.Arrays.asList(metadata.getMetadataFormatNames()).contains(FORMAT)) {
            return null;
        }
        Node root = metadata.getAsTree(FORMAT);
        boolean jfif = find(root, "app0JFIF") != null;
        boolean adobe = find(root, "app14Adobe") != null;
        Node sof = find(root, "sof");
        int components = sof == null ? -1 : sof.getChildNodes().getLength();
        if (adobe || !(components == 1 || components == 3 && (jfif || ids(sof)))) {
            return null;
        }
        Raster raster = reader.readRaster(0, param);
        if (!(raster.getSampleModel() instanceof PixelInterleavedSampleModel sm)
                || !(raster.getDataBuffer() instanceof DataBufferByte data) || raster.getNumBands() != components) {
            return null;
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        byte[] src = data.getData();
        int stride = sm.getScanlineStride();
        int pixel = sm.getPixelStride();
        int[] offsets = sm.getBandOffsets();
        int base = data.getOffset() - raster.getSampleModelTranslateX() * pixel
                - raster.getSampleModelTranslateY() * stride;
        if (components == 1) {
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
            for (int y = 0; y < h; y++) {
                int s = base + y * stride + offsets[0];
                for (int x = 0; x < w; x++, s += pixel) {
                    dst[y * w + x] = src[s];
                }
            }
            return out;
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        int o0 = offsets[0];
        int o1 = offsets[1];
        int o2 = offsets[2];
        int d = 0;
        for (int y = 0; y < h; y++) {
            int s = base + y * stride;
            for (int x = 0; x < w; x++, s += pixel) {
                int luma = src[s + o0] & 0xff;
                int cb = src[s + o1] & 0xff;
                int cr = src[s + o2] & 0xff;
                dst[d++] = clamp(luma + CB_B[cb]);
                dst[d++] = clamp(luma + (CB_G[cb] + CR_G[cr] >> 16));
                dst[d++] = clamp(luma + CR_R[cr]);
            }
        }
        return out;
    }

    /** Component ids 1, 2, 3: the JFIF convention (Adobe's RGB files use 'R', 'G', 'B'). */
    private static boolean ids(Node sof) {
        for (int i = 0; i < sof.getChildNodes().getLength(); i++) {
            Node id = sof.getChildNodes().item(i).getAttributes().getNamedItem("componentId");
            if (id == null || Integer.parseInt(id.getNodeValue()) != i + 1) {
                return false;
            }
        }
        return true;
    }

    private static byte clamp(int v) {
        return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
    }

    private static Node find(Node node, String name) {
        if (name.equals(node.getNodeName())) {
            return node;
        }
        for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
            Node f = find(c, name);
            if (f != null) {
                return f;
            }
        }
        return null;
    }
}
