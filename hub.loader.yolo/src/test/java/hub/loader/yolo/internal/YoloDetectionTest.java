package hub.loader.yolo.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import hub.api.ArtifactSpec;
import hub.api.Device;
import hub.api.Family;
import hub.api.ModelDescriptor;
import hub.api.spi.LoadRequest;
import hub.api.task.Detection;
import hub.api.task.DetectionOptions;
import hub.api.task.Detector;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import hub.runtime.internal.OnnxInferenceRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** YOLOv8n (int8, real Ultralytics export from ../shared/models) on real photos. */
public class YoloDetectionTest {
    private static YoloModel model;

    static Path shared(String property, String fallback) {
        return Path.of(System.getProperty(property, fallback));
    }

    @BeforeClass
    public static void open() throws Exception {
        Path file = shared("hub.test.models", "../../shared/models").resolve("detection/yolov8n-int8.onnx");
        assumeTrue("skipped: real model fixture not found: " + file + " (set HUB_TEST_MODELS)", Files.isRegularFile(file));
        ModelDescriptor d = new ModelDescriptor("yolov8n-int8", "1", Family.DETECTION, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", file.toUri(), null, -1, null)), null, null);
        model = (YoloModel) new YoloLoader(new OnnxInferenceRuntime())
                .open(new LoadRequest(d, Map.of("model", file), Device.CPU, 0, 0));
    }

    @AfterClass
    public static void close() {
        if (model != null) {
            model.close();
        }
    }

    private static ImageInput image(String name) throws Exception {
        Path p = shared("hub.test.images", "../../shared/images").resolve(name);
        assumeTrue("skipped: test photo not found: " + p, Files.isRegularFile(p));
        return new ImageInput(name, Files.readAllBytes(p));
    }

    private static List<Detection> detect(String name) throws Exception {
        ImageResult<List<Detection>> r = model.require().detect(List.of(image(name)), DetectionOptions.DEFAULTS).get(0);
        assertNull(r.error());
        return r.value();
    }

    private static Detection find(List<Detection> ds, String... labels) {
        return ds.stream().filter(d -> Arrays.asList(labels).contains(d.label())).findFirst()
                .orElseThrow(() -> new AssertionError(Arrays.toString(labels) + " not found in " + ds));
    }

    /** The box's centre lies inside the given region of the photo. */
    private static void centreIn(Detection d, float x1, float y1, float x2, float y2) {
        float cx = d.box().x() + d.box().width() / 2;
        float cy = d.box().y() + d.box().height() / 2;
        assertTrue(d + " centre " + cx + "," + cy, cx >= x1 && cx <= x2 && cy >= y1 && cy <= y2);
    }

    @Test
    public void labelsComeFromTheModelsMetadata() {
        assertEquals(80, model.labels().size());
        assertEquals("person", model.labels().get(0));
        assertEquals(YoloModel.Layout.YOLOV8, model.layout());
    }

    @Test
    public void dogPhotoHasADogABicycleAndACarOrTruckInTheirPlaces() throws Exception {
        List<Detection> ds = detect("dog.jpg"); // 768 x 576
        centreIn(find(ds, "dog"), 120, 250, 340, 560);
        centreIn(find(ds, "bicycle"), 150, 130, 600, 450);
        centreIn(find(ds, "car", "truck"), 450, 50, 720, 200);
    }

    @Test
    public void personPhotoHasAPersonAHorseAndADog() throws Exception {
        List<Detection> ds = detect("person.jpg"); // 640 x 424
        centreIn(find(ds, "person"), 150, 80, 300, 400);
        centreIn(find(ds, "horse"), 350, 100, 640, 380);
        centreIn(find(ds, "dog"), 30, 220, 230, 380);
    }

    @Test
    public void aBadImageGetsItsOwnErrorAndNeverStopsTheBatch() throws Exception {
        byte[] jpeg = image("dog.jpg").data();
        List<ImageResult<List<Detection>>> r = model.require().detect(List.of(
                new ImageInput("empty", new byte[0]),
                new ImageInput("text", "hello".getBytes()),
                new ImageInput("truncated", Arrays.copyOf(jpeg, 600)),
                image("person.jpg")), DetectionOptions.DEFAULTS);
        assertEquals(4, r.size());
        assertEquals("empty image", r.get(0).error());
        assertTrue(r.get(1).error(), r.get(1).error().startsWith("not an image"));
        assertNotNull("a truncated JPEG is an error, not a half-grey picture", r.get(2).error());
        assertTrue(r.get(2).error(), r.get(2).error().startsWith("truncated or damaged image")
                || r.get(2).error().startsWith("cannot decode image"));
        assertNull(r.get(3).error());
        assertTrue(r.get(3).value().size() >= 3);
    }

    @Test
    public void aHigherThresholdKeepsFewerDetections() throws Exception {
        List<Detection> all = detect("dog.jpg");
        List<Detection> strict = model.require().detect(List.of(image("dog.jpg")), new DetectionOptions(0.8f, Float.NaN, 0))
                .get(0).value();
        assertTrue(strict.size() <= all.size());
        assertTrue(strict.stream().allMatch(d -> d.score() >= 0.8f));
    }
}
