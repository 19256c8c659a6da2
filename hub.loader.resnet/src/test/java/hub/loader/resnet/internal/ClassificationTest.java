package hub.loader.resnet.internal;

import hub.api.task.Embedding;
import hub.api.task.ImageEmbedder;

import hub.runtime.testing.TinyOnnx;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import hub.api.ArtifactSpec;
import hub.api.Device;
import hub.api.Family;
import hub.api.LoaderParameters;
import hub.api.ModelDescriptor;
import hub.api.spi.LoadRequest;
import hub.api.spi.LoadedModel;
import hub.api.task.Classification;
import hub.api.task.Classifier;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import hub.runtime.internal.OnnxInferenceRuntime;
import java.awt.Font;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The real MNIST model (ONNX zoo mnist-8) on digits drawn with java.awt, and the ImageNet label artifact. */
public class ClassificationTest {
    private static Path models() {
        return Path.of(System.getProperty("hub.test.models", "../../shared/models"));
    }

    static LoadedModel open(Path file, LoaderParameters p, Map<String, Path> files) throws Exception {
        return open(Family.CLASSIFICATION, file, p, files);
    }

    static LoadedModel open(Family family, Path file, LoaderParameters p, Map<String, Path> files) throws Exception {
        ModelDescriptor d = new ModelDescriptor("m", "1", family, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", file.toUri(), null, -1, null)), p, null);
        ResnetLoader loader = family.equals(Family.EMBEDDING) ? new BackboneEmbeddingLoader(new OnnxInferenceRuntime())
                : new ResnetLoader(new OnnxInferenceRuntime());
        return loader.open(new LoadRequest(d, files, Device.CPU, 0, 0));
    }

    @Test
    public void aBackbonesPooledFeaturesEmbedDigitsSoThatTheSameDigitIsNearest() throws Exception {
        Path mnist = models().resolve("classification/mnist-8.onnx");
        assumeTrue("skipped: real model fixture not found: " + mnist, Files.isRegularFile(mnist));
        LoaderParameters features = new LoaderParameters(Map.of("featureOutput", "Pooling160_Output_0_reshape0"));
        try (LoadedModel m = open(Family.EMBEDDING, mnist, features, Map.of("model", mnist));
                LoadedModel plain = open(mnist, LoaderParameters.EMPTY, Map.of("model", mnist))) {
            assertTrue("a classifier without featureOutput is no embedder", plain.task(ImageEmbedder.class).isEmpty());
            assertTrue("an embedding-family model is no classifier", m.task(Classifier.class).isEmpty());
            ImageEmbedder e = m.task(ImageEmbedder.class).orElseThrow();
            List<ImageInput> sans = new ArrayList<>();
            List<ImageInput> serif = new ArrayList<>();
            for (int digit = 0; digit < 10; digit++) {
                sans.add(new ImageInput("sans" + digit, Digits.png(digit, Font.SANS_SERIF)));
                serif.add(new ImageInput("serif" + digit, Digits.png(digit, Font.SERIF)));
            }
            List<ImageInput> batch = new ArrayList<>(sans);
            batch.add(3, new ImageInput("broken.jpg", new byte[] {(byte) 0xff, (byte) 0xd8, 0}));
            List<ImageResult<Embedding>> a = e.embed(batch);
            assertEquals(11, a.size());
            assertTrue(a.get(3).error() != null);
            a = new ArrayList<>(a);
            a.remove(3);
            List<ImageResult<Embedding>> b = e.embed(serif);
            assertEquals(256, a.get(0).value().dimension()); // the last pooling layer, flattened: [1, 256]
            int right = 0;
            for (int i = 0; i < 10; i++) {
                int best = -1;
                float bestScore = -2;
                for (int j = 0; j < 10; j++) {
                    float c = b.get(i).value().cosine(a.get(j).value());
                    if (c > bestScore) {
                        bestScore = c;
                        best = j;
                    }
                }
                right += best == i ? 1 : 0;
            }
            assertTrue("nearest same digit for " + right + "/10", right >= 8);
        }
    }

    @Test
    public void mnistReadsDigitsDrawnInSeveralFonts() throws Exception {
        Path mnist = models().resolve("classification/mnist-8.onnx");
        assumeTrue("skipped: real model fixture not found: " + mnist, Files.isRegularFile(mnist));
        try (LoadedModel m = open(mnist, LoaderParameters.EMPTY, Map.of("model", mnist))) {
            Classifier c = m.task(Classifier.class).orElseThrow();
            List<ImageInput> images = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (String font : List.of(Font.SANS_SERIF, Font.SERIF, Font.MONOSPACED)) {
                for (int digit = 0; digit < 10; digit++) {
                    images.add(new ImageInput(font + digit, Digits.png(digit, font)));
                    expected.add(String.valueOf(digit));
                }
            }
            List<ImageResult<List<Classification>>> r = c.classify(images, 3);
            int right = 0;
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                Classification top = r.get(i).value().get(0);
                assertEquals(3, r.get(i).value().size());
                assertTrue(top.probability() > 0 && top.probability() <= 1);
                if (top.label().equals(expected.get(i))) {
                    right++;
                } else {
                    wrong.add(images.get(i).name() + "->" + top.label());
                }
            }
            assertTrue("read " + right + "/30, wrong: " + wrong, right >= 28);
        }
    }

    @Test
    public void theWholePipelineOnAGeneratedModelGivesTheComputedAnswer() throws Exception {
        Path model = Files.createTempFile("channel-mean", ".onnx");
        Files.write(model, TinyOnnx.channelMeanSoftmax(3, 4, false));
        LoaderParameters rgb = new LoaderParameters(Map.of("labels", List.of("red", "green", "blue")));
        LoaderParameters bgr = new LoaderParameters(Map.of("labels", List.of("red", "green", "blue"), "channelOrder", "BGR",
                "mean", List.of(0.5, 0.5, 0.5), "std", List.of(0.5, 0.5, 0.5)));
        try (LoadedModel m = open(model, rgb, Map.of("model", model)); LoadedModel b = open(model, bgr, Map.of("model", model))) {
            ImageInput red = solid(255, 0, 0);
            List<Classification> r = m.task(Classifier.class).orElseThrow().classify(List.of(red), 3).get(0).value();
            // channel means (1, 0, 0) after scaling by 1/255; softmax: e / (e + 2)
            float expected = (float) (Math.E / (Math.E + 2));
            assertEquals("red", r.get(0).label());
            assertEquals(expected, r.get(0).probability(), 1e-3);
            assertEquals((float) (1 / (Math.E + 2)), r.get(1).probability(), 1e-3);
            // BGR order and (x - 0.5) / 0.5: red lands in the third channel as +1, the others -1
            List<Classification> q = b.task(Classifier.class).orElseThrow().classify(List.of(red), 1).get(0).value();
            assertEquals("blue", q.get(0).label());
            assertEquals((float) (Math.exp(1) / (Math.exp(1) + 2 * Math.exp(-1))), q.get(0).probability(), 1e-3);
            assertEquals("green", m.task(Classifier.class).orElseThrow().classify(List.of(solid(10, 200, 30)), 1)
                    .get(0).value().get(0).label());
        }
    }

    @Test
    public void aDynamicBatchRunsTogetherAndABadImageKeepsItsOwnError() throws Exception {
        Path model = Files.createTempFile("channel-mean-batch", ".onnx");
        Files.write(model, TinyOnnx.channelMeanSoftmax(3, 4, true));
        LoaderParameters p = new LoaderParameters(Map.of("labels", List.of("red", "green", "blue"), "batchSize", 2));
        try (LoadedModel m = open(model, p, Map.of("model", model))) {
            assertEquals(2, ((ResnetModel) m).batch());
            List<ImageInput> batch = List.of(solid(255, 0, 0), new ImageInput("broken.png", new byte[] {1, 2, 3}),
                    solid(10, 200, 30), solid(0, 0, 255), solid(250, 10, 10));
            var results = m.task(Classifier.class).orElseThrow().classify(batch, 1);
            assertEquals(5, results.size());
            assertEquals("red", results.get(0).value().get(0).label());
            assertTrue(results.get(1).error(), results.get(1).error().contains("not a readable image")
                    || results.get(1).error().contains("image"));
            assertEquals("green", results.get(2).value().get(0).label());
            assertEquals("blue", results.get(3).value().get(0).label());
            assertEquals("red", results.get(4).value().get(0).label());
            // the same probabilities as one image at a time
            float alone = m.task(Classifier.class).orElseThrow().classify(List.of(solid(10, 200, 30)), 1).get(0).value()
                    .get(0).probability();
            assertEquals(alone, results.get(2).value().get(0).probability(), 1e-6);
        }
    }

    private static ImageInput solid(int r, int g, int b) throws java.io.IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(16, 12, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D gr = img.createGraphics();
        gr.setColor(new java.awt.Color(r, g, b));
        gr.fillRect(0, 0, 16, 12);
        gr.dispose();
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", png);
        return new ImageInput("solid", png.toByteArray());
    }

    @Test
    public void imagenetLabelsMapByIndex() throws Exception {
        Path labels = models().resolve("labels/imagenet-1000.txt");
        assumeTrue("skipped: label fixture not found: " + labels, Files.isRegularFile(labels));
        List<String> l = ResnetLoader.labels(labels, LoaderParameters.EMPTY);
        assertEquals(1000, l.size());
        assertEquals("tench", l.get(0));
        assertEquals("golden retriever", l.get(207));
        assertEquals("toilet tissue", l.get(999));
    }

    @Test
    public void softmaxLeavesDistributionsAloneAndNormalisesLogits() {
        float[] p = ResnetModel.probabilities(new float[] {2, 1, 0});
        assertEquals(1, p[0] + p[1] + p[2], 1e-5);
        assertTrue(p[0] > p[1] && p[1] > p[2]);
        float[] d = {0.7f, 0.2f, 0.1f};
        assertEquals(0.7f, ResnetModel.probabilities(d)[0], 0);
    }
}
