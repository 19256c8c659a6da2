package hub.loader.yolo.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import hub.api.ArtifactSpec;
import hub.api.Device;
import hub.api.Family;
import hub.api.LoaderParameters;
import hub.api.ModelDescriptor;
import hub.api.spi.LoadRequest;
import hub.api.task.Detection;
import hub.api.task.DetectionOptions;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import hub.runtime.internal.OnnxInferenceRuntime;
import hub.runtime.testing.TinyOnnx;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.Test;

/**
 * Batched session runs on a generated YOLOv8-layout model whose output is its input reshaped to [N, 84, 7]: a solid
 * grey image of value v gives one box of score v/255, so every image's result can be told apart and checked.
 */
public class YoloBatchTest {
    private static YoloModel open(boolean dynamic, int batch) throws Exception {
        Path file = Files.createTempFile("reshape-yolo", ".onnx");
        Files.write(file, TinyOnnx.reshape(14, 84, dynamic));
        ModelDescriptor d = new ModelDescriptor("tiny", "1", Family.DETECTION, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", file.toUri(), null, -1, null)),
                new LoaderParameters(Map.of("outputFormat", "yolov8", "batchSize", batch)), null);
        return (YoloModel) new YoloLoader(new OnnxInferenceRuntime())
                .open(new LoadRequest(d, Map.of("model", file), Device.CPU, 0, 0));
    }

    private static ImageInput grey(int v) throws Exception {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(v, v, v));
        g.fillRect(0, 0, 28, 28);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        return new ImageInput("grey-" + v, png.toByteArray());
    }

    @Test
    public void dynamicBatchesRunTogetherAndGiveEachImageItsOwnResult() throws Exception {
        List<ImageInput> images = List.of(grey(200), new ImageInput("empty.jpg", new byte[0]), grey(100), grey(150),
                grey(60));
        DetectionOptions o = new DetectionOptions(0.1f, Float.NaN, 0);
        try (YoloModel batched = open(true, 3); YoloModel single = open(false, 3)) {
            assertEquals(3, batched.batch());
            assertEquals("a fixed batch dimension of 1 runs images one by one", 1, single.batch());
            List<ImageResult<List<Detection>>> b = batched.detect(images, o);
            List<ImageResult<List<Detection>>> s = single.detect(images, o);
            assertEquals(5, b.size());
            assertNull(b.get(0).error());
            assertNotNull("the empty image has its own error", b.get(1).error());
            assertTrue(b.get(1).error(), b.get(1).error().contains("empty"));
            int[] values = {200, -1, 100, 150, 60};
            for (int i = 0; i < values.length; i++) {
                if (values[i] < 0) {
                    continue;
                }
                assertEquals(images.get(i).name(), b.get(i).source());
                assertEquals(1, b.get(i).value().size());
                assertEquals(values[i] / 255f, b.get(i).value().get(0).score(), 1e-3);
                assertEquals(s.get(i).value(), b.get(i).value());
            }
        }
    }

    @Test
    public void ssdOutputsAreDecodedIntoPixelBoxesWithLabels() throws Exception {
        Path file = Files.createTempFile("ssd", ".onnx");
        Files.write(file, TinyOnnx.ssd(new float[][] {{0.1f, 0.2f, 0.5f, 0.6f}, {0f, 0f, 1f, 1f}, {0.5f, 0.5f, 0.9f, 0.9f}},
                new float[] {18, 1, 3}, new float[] {0.9f, 0.1f, 0.7f}));
        Path labels = Files.createTempFile("labels", ".txt");
        Files.write(labels, java.util.stream.IntStream.range(0, 20).mapToObj(i -> "class-" + i).toList());
        ModelDescriptor d = new ModelDescriptor("ssd", "1", Family.DETECTION, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", file.toUri(), null, -1, null),
                        new ArtifactSpec("labels", labels.toUri(), null, -1, null)), null, null);
        try (YoloModel m = (YoloModel) new YoloLoader(new OnnxInferenceRuntime())
                .open(new LoadRequest(d, Map.of("model", file, "labels", labels), Device.CPU, 0, 0))) {
            assertEquals(YoloModel.Layout.SSD, m.layout());
            BufferedImage img = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
            ByteArrayOutputStream jpg = new ByteArrayOutputStream();
            ImageIO.write(img, "jpg", jpg);
            List<ImageResult<List<Detection>>> r = m.detect(List.of(new ImageInput("a.jpg", jpg.toByteArray()),
                    new ImageInput("bad.jpg", new byte[] {(byte) 0xff, (byte) 0xd8, 1})), new DetectionOptions(0.5f, Float.NaN, 0));
            List<Detection> found = r.get(0).value();
            assertEquals("the score below the threshold is dropped", 2, found.size());
            Detection first = found.get(0);
            assertEquals("class-18", first.label());
            assertEquals(0.9f, first.score(), 1e-6);
            assertEquals(40, first.box().x(), 1e-3); // xmin 0.2 of 200
            assertEquals(10, first.box().y(), 1e-3); // ymin 0.1 of 100
            assertEquals(80, first.box().width(), 1e-3);
            assertEquals(40, first.box().height(), 1e-3);
            assertEquals("class-3", found.get(1).label());
            assertNotNull(r.get(1).error());
        }
    }
}
