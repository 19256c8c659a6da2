package hub.core.internal.catalog;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import hub.api.AccessTier;
import hub.api.Family;
import hub.api.InvalidDescriptorException;
import hub.api.ModelConflictException;
import hub.api.ModelDescriptor;
import hub.api.ModelNotFoundException;
import hub.api.ModelQuery;
import hub.api.ModelRef;
import hub.api.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CatalogRegistryTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private CatalogRegistry registry(Path dir) {
        return CatalogRegistry.onFiles(dir, CatalogRegistry.class.getResourceAsStream("/catalog/builtin.yaml"));
    }

    private Path file(String name, String text) throws IOException {
        Path p = tmp.getRoot().toPath().resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static final String CUSTOM = String.join("\n",
            "name: my-detector",
            "version: '1.0'",
            "family: detection",
            "tier: lite",
            "tags: [custom, test]",
            "artifacts:",
            "  - role: model",
            "    source: file:/models/my.onnx",
            "    sha256: 8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4",
            "    size: 232589",
            "parameters: {inputSize: 320, mean: [0, 0, 0]}",
            "");

    @Test
    public void builtInCatalogHasTheSeedModelsWithPublishedChecksums() {
        CatalogRegistry r = registry(tmp.getRoot().toPath());
        for (String name : List.of("yolov8n", "yolov8s", "ssd-mobilenet-v1", "resnet50", "mobilenetv2", "pp-ocrv4",
                "pp-ocrv3", "tesseract-eng", "yunet", "sface")) {
            assertTrue(name, r.find(ModelRef.parse(name)).isPresent());
        }
        ModelDescriptor yunet = r.get(ModelRef.parse("yunet"));
        assertEquals("8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4",
                yunet.artifact("model").orElseThrow().sha256());
        assertEquals(Provenance.BUILTIN, yunet.provenance().origin());
        ModelDescriptor ocr = r.get(ModelRef.parse("pp-ocrv4"));
        assertTrue(ocr.artifact("model").orElseThrow().source().toString().startsWith("maven:io.github.mymonstercat"));
        assertEquals(4, ocr.artifacts().size());
        // no checksum published for the Ultralytics export: the entry says so rather than inventing one
        ModelDescriptor yolo = r.get(ModelRef.parse("yolov8n"));
        assertTrue(yolo.artifact("model").orElseThrow().publishedSha256().isEmpty());
        assertFalse(yolo.provenance().checksumPublished());
    }

    @Test
    public void filtersByFamilyTagAndTierAndPicksTheLatestVersion() {
        CatalogRegistry r = registry(tmp.getRoot().toPath());
        assertTrue(r.list(new ModelQuery(Family.OCR, null, null)).stream().allMatch(d -> d.family().equals(Family.OCR)));
        assertTrue(r.list(new ModelQuery(null, "imagenet", null)).stream().allMatch(d -> d.tags().contains("imagenet")));
        assertTrue(r.list(new ModelQuery(null, null, AccessTier.LITE)).stream().allMatch(d -> d.tier() == AccessTier.LITE));
        assertEquals("12", r.get(ModelRef.parse("mobilenetv2")).version());
        assertEquals(List.of("7", "12"), r.versions("mobilenetv2"));
        assertEquals(List.of(), r.versions("nothing"));
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> r.get(ModelRef.parse("mobilenetv2@9")));
        assertTrue(e.getMessage(), e.getMessage().contains("known versions: 7, 12"));
    }

    @Test
    public void registrationPersistsAcrossInstancesAndUnregisters() throws IOException {
        Path dir = tmp.newFolder("catalog").toPath();
        List<ModelDescriptor> done = registry(dir).register(file("custom.yaml", CUSTOM));
        assertEquals(1, done.size());
        CatalogRegistry restarted = registry(dir);
        ModelDescriptor d = restarted.get(ModelRef.parse("my-detector@1.0"));
        assertEquals(Provenance.CUSTOM, d.provenance().origin());
        assertEquals(320, d.parameters().integer("inputSize", 0));
        assertEquals(List.of("custom", "test"), List.copyOf(d.tags()));
        assertThrows(ModelConflictException.class, () -> restarted.register(file("again.yaml", CUSTOM)));
        assertThrows(ModelConflictException.class, () -> restarted.unregister(ModelRef.parse("yunet@2023mar")));
        restarted.unregister(ModelRef.parse("my-detector@1.0"));
        assertTrue(registry(dir).find(ModelRef.parse("my-detector")).isEmpty());
        assertThrows(ModelNotFoundException.class, () -> restarted.unregister(ModelRef.parse("my-detector@1.0")));
    }

    @Test
    public void anotherProcessRegistrationIsSeen() throws Exception {
        Path dir = tmp.newFolder("shared").toPath();
        CatalogRegistry a = registry(dir);
        CatalogRegistry b = registry(dir);
        assertTrue(b.find(ModelRef.parse("my-detector")).isEmpty());
        a.register(file("custom.yaml", CUSTOM));
        long deadline = System.currentTimeMillis() + 2000; // b looks at the directory at most every 500 ms
        while (b.find(ModelRef.parse("my-detector")).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(b.find(ModelRef.parse("my-detector")).isPresent());
    }

    @Test
    public void aBadFileRegistersNothingAndKeepsWhatIsThere() throws IOException {
        Path dir = tmp.newFolder("catalog").toPath();
        CatalogRegistry r = registry(dir);
        r.register(file("custom.yaml", CUSTOM));
        String second = CUSTOM.replace("my-detector", "second");
        String list = "models:\n" + indent(second) + indent(CUSTOM.replace("my-detector", "third")
                .replace("sha256: 8f2383", "sha256: zz2383"));
        InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class,
                () -> r.register(file("two.yaml", list)));
        assertTrue(e.getMessage(), e.getMessage().contains("two.yaml:"));
        assertEquals("models[1].artifacts[0].sha256", e.field());
        assertTrue(r.find(ModelRef.parse("second")).isEmpty());
        assertTrue(r.find(ModelRef.parse("my-detector@1.0")).isPresent());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("my-detector@1.0.json"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    public void namesThatCouldEscapeTheHomeAreRejectedBeforeAnythingIsWritten() throws IOException {
        Path dir = tmp.newFolder("catalog").toPath();
        CatalogRegistry r = registry(dir);
        InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class,
                () -> r.register(file("evil.yaml", CUSTOM.replace("name: my-detector", "name: ../../evil"))));
        assertEquals("name", e.field());
        assertEquals(1, e.line());
        e = assertThrows(InvalidDescriptorException.class,
                () -> r.register(file("evil2.yaml", CUSTOM.replace("version: '1.0'", "version: 'a/../../b'"))));
        assertTrue(e.getMessage(), e.getMessage().contains("version"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
        assertFalse(Files.exists(tmp.getRoot().toPath().resolve("evil@1.0.json")));
    }

    private static String indent(String doc) {
        StringBuilder b = new StringBuilder();
        boolean first = true;
        for (String line : doc.split("\n")) {
            b.append(first ? "  - " : "    ").append(line).append('\n');
            first = false;
        }
        return b.toString();
    }
}
