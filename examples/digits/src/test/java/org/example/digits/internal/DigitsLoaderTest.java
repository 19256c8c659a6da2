package org.example.digits.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import hub.api.ArtifactSpec;
import hub.api.Device;
import hub.api.Family;
import hub.api.ModelDescriptor;
import hub.api.spi.LoadRequest;
import hub.api.spi.LoadedModel;
import hub.api.task.Classifier;
import hub.api.task.ImageInput;
import hub.runtime.internal.OnnxInferenceRuntime;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.Test;

/** The plug-in serves the real MNIST model (../shared/models/classification/mnist-8.onnx) as the "digits" family. */
public class DigitsLoaderTest {
    @Test
    public void readsADrawnDigit() throws Exception {
        Path mnist = Path.of(System.getProperty("hub.test.models", "../../../shared/models"))
                .resolve("classification/mnist-8.onnx");
        assumeTrue("skipped: real model fixture not found: " + mnist, Files.isRegularFile(mnist));
        ModelDescriptor d = new ModelDescriptor("mnist", "8", Family.of("digits"), null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", mnist.toUri(), null, -1, null)), null, null);
        try (LoadedModel m = new DigitsLoader(new OnnxInferenceRuntime())
                .open(new LoadRequest(d, Map.of("model", mnist), Device.CPU, 1, 1))) {
            m.warmUp();
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, 28, 28);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
            g.drawString("3", 8, 22);
            g.dispose();
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(img, "png", png);
            var top = m.task(Classifier.class).orElseThrow()
                    .classify(List.of(new ImageInput("three.png", png.toByteArray())), 3).get(0).value();
            assertEquals("3", top.get(0).label());
            assertTrue(top.get(0).probability() > 0.5f);
        }
    }
}
