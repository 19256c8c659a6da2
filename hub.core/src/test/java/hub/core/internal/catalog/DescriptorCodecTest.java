package hub.core.internal.catalog;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import hub.api.InvalidDescriptorException;
import hub.api.ModelDescriptor;
import hub.api.Provenance;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;

public class DescriptorCodecTest {
    private static List<ModelDescriptor> read(String text) {
        return DescriptorCodec.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "d.yaml",
                Provenance.CUSTOM);
    }

    private static InvalidDescriptorException bad(String text) {
        return assertThrows(InvalidDescriptorException.class, () -> read(text));
    }

    @Test
    public void readsJsonAndYamlAndRoundTrips() throws Exception {
        String json = "{\"name\":\"m\",\"version\":\"2\",\"family\":\"ocr\",\"artifacts\":[{\"source\":\"file:/a/m.onnx\"}]}";
        ModelDescriptor d = read(json).get(0);
        assertEquals("m.onnx", d.artifacts().get(0).fileName());
        assertEquals("model", d.artifacts().get(0).role());
        String back = new ObjectMapper().writeValueAsString(DescriptorCodec.toMap(d));
        assertEquals(d, read(back).get(0));
    }

    @Test
    public void malformedYamlNamesTheLine() {
        InvalidDescriptorException e = bad("name: m\nversion: 1\nfamily: [detection\nartifacts: []\n");
        assertTrue(e.getMessage(), e.line() >= 3);
        assertTrue(e.getMessage(), e.getMessage().startsWith("d.yaml:"));
    }

    @Test
    public void errorsNameLineAndField() {
        InvalidDescriptorException e = bad("name: m\nversion: 1\nfamily: detection\nartifacts:\n  - source: file:/x.onnx\n    sizee: 3\n");
        assertEquals("artifacts[0].sizee", e.field());
        assertEquals(6, e.line());
        e = bad("name: m\nversion: 1\nfamily: detection\nartifacts:\n  - source: file:/x.onnx\n    size: -3\n");
        assertEquals("artifacts[0].size", e.field());
        e = bad("name: m\nversion: 1\nartifacts:\n  - source: file:/x.onnx\n");
        assertEquals("family", e.field());
        e = bad("name: m\nversion: 1\nfamily: detection\ntier: gold\nartifacts:\n  - source: file:/x.onnx\n");
        assertEquals("tier", e.field());
        assertEquals(4, e.line());
        e = bad("name: m\nversion: 1\nfamily: detection\nartifacts:\n  - source: 'no scheme'\n");
        assertTrue(e.getMessage(), e.field().startsWith("artifacts[0]"));
        e = bad("name: m\nname: n\nversion: 1\nfamily: detection\nartifacts:\n  - source: file:/x.onnx\n");
        assertTrue(e.getMessage(), e.getMessage().contains("Duplicate"));
        e = bad("");
        assertTrue(e.getMessage(), e.getMessage().contains("empty"));
        e = bad("name: m\nversion: 1\nfamily: detection\nartifacts:\n  - {role: labels, source: 'file:/l.txt'}\n");
        assertTrue(e.getMessage(), e.getMessage().contains("exactly one artifact"));
    }

    @Test
    public void versionOrderIsNumericAware() {
        List<String> v = new java.util.ArrayList<>(List.of("8.10", "8.9", "1.0", "1.0-rc1", "v2-7", "v1-7", "12", "7"));
        v.sort(VersionOrder.INSTANCE);
        // numeric runs sort after text runs, so tagged versions (v1-7) come before plain numbers
        assertEquals(List.of("v1-7", "v2-7", "1.0-rc1", "1.0", "7", "8.9", "8.10", "12"), v);
    }
}
