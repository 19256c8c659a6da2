package hub.loader.face.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assume.assumeTrue;

import hub.api.ArtifactSpec;
import hub.api.Device;
import hub.api.Family;
import hub.api.ModelDescriptor;
import hub.api.spi.LoadRequest;
import hub.api.spi.LoadedModel;
import hub.runtime.internal.OnnxInferenceRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Opens a real face model through the real ONNX Runtime and closes it. */
public class FaceLoaderTest {
    static Path models() {
        String p = System.getenv("HUB_TEST_MODELS");
        return Path.of(p != null ? p : System.getProperty("hub.test.models", "../../shared/models"));
    }

    @Test
    public void opensAndClosesARealModelOnTheCpu() throws Exception {
        Path model = models().resolve("face/yunet-2023mar.onnx");
        assumeTrue("skipped: real model fixture not found: " + model + " (set HUB_TEST_MODELS)", Files.isRegularFile(model));
        ModelDescriptor d = new ModelDescriptor("m", "1", Family.of("face"), null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", model.toUri(), null, -1, null)), null, null);
        FaceLoader loader = new FaceLoader(new OnnxInferenceRuntime());
        try (LoadedModel m = loader.open(new LoadRequest(d, Map.of("model", model), Device.CPU, 1, 1))) {
            assertEquals(Device.CPU, m.device());
            assertFalse(m.task(String.class).isPresent());
            m.warmUp(); // one real inference on a zero input of the model's own shape
        }
    }


    private static byte[] png(int width, int height) throws java.io.IOException {
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(width, height,
                java.awt.image.BufferedImage.TYPE_INT_RGB), "png", png);
        return png.toByteArray();
    }

    @Test
    public void aDecodedImageIsReusedOnlyForTheSameUnchangedBytes() throws Exception {
        byte[] six = png(8, 6);
        byte[] seven = png(8, 7);
        // one buffer large enough for either file (PNG readers stop at IEND, so trailing zeros do not matter)
        byte[] buffer = new byte[Math.max(six.length, seven.length)];
        System.arraycopy(six, 0, buffer, 0, six.length);
        DecodedImages images = new DecodedImages();
        hub.api.task.ImageInput in = new hub.api.task.ImageInput("a.png", buffer);
        java.awt.image.BufferedImage first = images.decode(in);
        org.junit.Assert.assertEquals(6, first.getHeight());
        org.junit.Assert.assertSame(first, images.decode(new hub.api.task.ImageInput("again", buffer)));
        org.junit.Assert.assertNotSame("equal bytes in another array decode afresh", first,
                images.decode(new hub.api.task.ImageInput("copy", buffer.clone())));
        java.util.Arrays.fill(buffer, (byte) 0);
        System.arraycopy(seven, 0, buffer, 0, seven.length);
        org.junit.Assert.assertEquals("the same array refilled with another image", 7, images.decode(in).getHeight());
    }
}
