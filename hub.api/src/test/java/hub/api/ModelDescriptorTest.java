package hub.api;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

public class ModelDescriptorTest {
    private static ArtifactSpec model(long size) {
        return new ArtifactSpec("model", URI.create("https://example.org/m/model.onnx"), null, size, null);
    }

    private static ModelDescriptor descriptor(List<ArtifactSpec> artifacts) {
        return new ModelDescriptor("m", "1", Family.DETECTION, null, null, null, Set.of("b", "a"), null, null, artifacts,
                null, null);
    }

    @Test
    public void fillsDefaultsAndSumsSizes() {
        ModelDescriptor d = descriptor(List.of(model(10),
                new ArtifactSpec("labels", URI.create("file:/tmp/labels.txt"), null, 5, null)));
        assertEquals(AccessTier.STANDARD, d.tier());
        assertEquals(15, d.totalSize());
        assertEquals("model.onnx", d.artifact("model").orElseThrow().fileName());
        assertEquals(Provenance.CUSTOM, d.provenance().origin());
        assertEquals(new ModelRef("m", "1"), d.ref());
        assertEquals(-1, descriptor(List.of(model(-1))).totalSize());
    }

    @Test
    public void needsExactlyOneModelArtifactAndDistinctFiles() {
        assertThrows(IllegalArgumentException.class, () -> descriptor(List.of()));
        assertThrows(IllegalArgumentException.class, () -> descriptor(List.of(model(1), model(2))));
        assertThrows(IllegalArgumentException.class, () -> descriptor(List.of(model(1),
                new ArtifactSpec("labels", URI.create("https://example.org/x/model.onnx"), null, 1, null))));
        assertThrows(IllegalArgumentException.class, () -> new ModelDescriptor("m", "latest", Family.OCR, null, null,
                null, null, null, null, List.of(model(1)), null, null));
    }

    @Test
    public void artifactChecksumsAreValidated() {
        String sha = "8F2383E4DD3CFBB4553EA8718107FC0423210DC964F9F4280604804ED2552FA4";
        assertEquals(sha.toLowerCase(), new ArtifactSpec("model", URI.create("file:/x.onnx"), sha, 1, null).sha256());
        assertThrows(IllegalArgumentException.class, () -> new ArtifactSpec("model", URI.create("file:/x"), "abc", 1, null));
        assertThrows(IllegalArgumentException.class, () -> new ArtifactSpec("model", URI.create("x.onnx"), null, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new ArtifactSpec("model", URI.create("file:/x"), null, 1, "../y"));
        assertEquals("eng.traineddata", new ArtifactSpec("model",
                URI.create("maven:net.sourceforge.tess4j:tess4j:5.13.0!/tessdata/eng.traineddata"), null, 1, null).fileName());
    }

    @Test
    public void loaderParametersAreTyped() {
        LoaderParameters p = new LoaderParameters(Map.of("inputSize", 640, "mean", List.of(0.5, "0.25"), "names",
                List.of("cat", "dog"), "threshold", "0.3"));
        assertEquals(640, p.integer(LoaderParameters.INPUT_SIZE, 0));
        assertArrayEquals(new double[] {0.5, 0.25}, p.numbers(LoaderParameters.MEAN).orElseThrow(), 0);
        assertEquals(List.of("cat", "dog"), p.strings("names").orElseThrow());
        assertEquals(0.3, p.number(LoaderParameters.THRESHOLD, 0), 1e-9);
        assertEquals(7, p.integer("missing", 7));
        assertFalse(p.string("missing").isPresent());
        assertThrows(IllegalArgumentException.class, () -> new LoaderParameters(Map.of("x", new Object())));
        assertThrows(IllegalArgumentException.class, () -> new LoaderParameters(Map.of("x", "abc")).number("x", 0));
    }

    @Test
    public void tiersIncludeLowerTiersAndFamiliesAreOpen() {
        assertTrue(AccessTier.PROFESSIONAL.includes(AccessTier.LITE));
        assertFalse(AccessTier.LITE.includes(AccessTier.STANDARD));
        assertEquals(AccessTier.STANDARD, AccessTier.parse(" Standard "));
        assertEquals(Device.GPU, Device.parse("cuda"));
        assertEquals("segmentation", Family.of("Segmentation").id());
        assertThrows(IllegalArgumentException.class, () -> Family.of("bad family"));
        assertThrows(IllegalArgumentException.class, () -> AccessTier.parse("gold"));
    }
}
