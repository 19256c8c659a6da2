package hub.loader.face.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import hub.api.ArtifactSpec;
import hub.api.Device;
import hub.api.Family;
import hub.api.ModelDescriptor;
import hub.api.spi.LoadRequest;
import hub.api.spi.LoadedModel;
import hub.api.task.Embedding;
import hub.api.task.Face;
import hub.api.task.FaceDetector;
import hub.api.task.FaceEmbedder;
import hub.api.task.FaceMatch;
import hub.api.task.ImageInput;
import hub.runtime.internal.OnnxInferenceRuntime;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** YuNet and a 512-d face embedder (../shared/models/face) on real photos. */
public class FaceTest {
    static LoadedModel detectorModel;
    static LoadedModel embedderModel;
    private static FaceDetector detector;
    private static FaceEmbedder embedder;

    private static Path models() {
        return Path.of(System.getProperty("hub.test.models", "../../shared/models"));
    }

    private static LoadedModel open(Path file) throws Exception {
        ModelDescriptor d = new ModelDescriptor("m", "1", Family.FACE, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", file.toUri(), null, -1, null)), null, null);
        return new FaceLoader(new OnnxInferenceRuntime()).open(new LoadRequest(d, Map.of("model", file), Device.CPU, 0, 0));
    }

    @BeforeClass
    public static void openModels() throws Exception {
        Path yunet = models().resolve("face/yunet-2023mar.onnx");
        Path embed = models().resolve("face/faceplugin-embed-512.onnx");
        assumeTrue("skipped: real model fixtures not found under " + models(),
                Files.isRegularFile(yunet) && Files.isRegularFile(embed));
        detectorModel = open(yunet);
        embedderModel = open(embed);
        detector = detectorModel.task(FaceDetector.class).orElseThrow();
        embedder = embedderModel.task(FaceEmbedder.class).orElseThrow();
    }

    @AfterClass
    public static void close() {
        if (detectorModel != null) {
            detectorModel.close();
            embedderModel.close();
        }
    }

    static ImageInput photo(String name) throws Exception {
        Path p = models().resolveSibling("images").resolve(name);
        assumeTrue("skipped: photo not found: " + p, Files.isRegularFile(p));
        return new ImageInput(name, Files.readAllBytes(p));
    }

    private static List<Face> faces(ImageInput in) {
        return detector.detectFaces(List.of(in), Float.NaN).get(0).value();
    }

    @Test
    public void astronautAndCameramanHaveOneFaceEachInTheirPlace() throws Exception {
        List<Face> a = faces(photo("astronaut.png"));
        assertEquals(1, a.size());
        centreIn(a.get(0), 180, 60, 280, 180);
        assertEquals(5, a.get(0).landmarks().size());
        assertTrue("eyes side by side", a.get(0).landmarks().get(0).x() < a.get(0).landmarks().get(1).x());
        List<Face> c = faces(photo("camera.png"));
        assertEquals(1, c.size());
        centreIn(c.get(0), 190, 100, 270, 200);
    }

    @Test
    public void aCatADogAndACupHaveNoFace() throws Exception {
        for (String p : List.of("chelsea.png", "dog.jpg", "coffee.png")) {
            assertEquals(p, List.of(), faces(photo(p)));
        }
    }

    @Test
    public void theSameFaceFlippedOrRescaledIsCloserToItselfThanToTheOtherPerson() throws Exception {
        Embedding astronaut = embed(photo("astronaut.png"));
        Embedding cameraman = embed(photo("camera.png"));
        Embedding flipped = embed(transformed(photo("astronaut.png"), true));
        Embedding smaller = embed(transformed(photo("astronaut.png"), false));
        assertEquals(512, astronaut.dimension());
        assertTrue(astronaut.cosine(flipped) > astronaut.cosine(cameraman));
        assertTrue(astronaut.cosine(smaller) > astronaut.cosine(cameraman));
        assertTrue(embedder.verify(astronaut, flipped, Float.NaN));
        assertFalse(embedder.verify(astronaut, cameraman, Float.NaN));
        FaceMatch m = embedder.identify(smaller, Map.of("astronaut", astronaut, "cameraman", cameraman), Float.NaN)
                .orElseThrow();
        assertEquals("astronaut", m.id());
        assertTrue(m.match());
        FaceMatch none = embedder.identify(embed(photo("camera.png")), Map.of("astronaut", astronaut), Float.NaN)
                .orElseThrow();
        assertFalse(none.match());
    }

    private static Embedding embed(ImageInput in) {
        List<Face> f = faces(in);
        assertEquals(1, f.size());
        return embedder.embedFaces(in, f).get(0);
    }

    private static ImageInput transformed(ImageInput in, boolean flip) throws Exception {
        BufferedImage src = ImageIO.read(new ByteArrayInputStream(in.data()));
        int w = flip ? src.getWidth() : src.getWidth() * 2 / 3;
        int h = flip ? src.getHeight() : src.getHeight() * 2 / 3;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        if (flip) {
            out.createGraphics().drawImage(src, w, 0, -w, h, null);
        } else {
            out.createGraphics().drawImage(src, 0, 0, w, h, null);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "png", bytes);
        return new ImageInput(in.name() + (flip ? "-flipped" : "-smaller"), bytes.toByteArray());
    }

    private static void centreIn(Face f, float x1, float y1, float x2, float y2) {
        float cx = f.box().x() + f.box().width() / 2;
        float cy = f.box().y() + f.box().height() / 2;
        assertTrue(f + " centre " + cx + "," + cy, cx >= x1 && cx <= x2 && cy >= y1 && cy <= y2);
    }
}
