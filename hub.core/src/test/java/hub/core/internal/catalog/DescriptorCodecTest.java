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

    @Test
    public void scalarsAreReadAsWritten() {
        String artifacts = "family: detection\nartifacts:\n  - source: file:/x.onnx\n";
        assertEquals("1.10", read("name: m\nversion: 1.10\n" + artifacts).get(0).version());
        assertEquals("010", read("name: m\nversion: 010\n" + artifacts).get(0).version());
        assertEquals("2.0", read("name: m\nversion: 2.0\n" + artifacts).get(0).version());
        assertEquals("1e3", read("name: m\nversion: 1e3\n" + artifacts).get(0).version());
        assertEquals("true", read("name: m\nversion: '1'\ntags: [true, 010]\n" + artifacts).get(0).tags().iterator()
                .next());
        assertEquals("1.10", read("{\"name\": \"m\", \"version\": 1.10, \"family\": \"detection\", "
                + "\"artifacts\": [{\"source\": \"file:/x.onnx\"}]}").get(0).version());
    }

    @Test
    public void sourcesAreCheckedAtRegistration() {
        String head = "name: m\nversion: '1'\nfamily: detection\nartifacts:\n  - source: ";
        for (String source : List.of("ftp://example.org/m.onnx", "jar:file:/x.jar!/m.onnx", "gopher://x/m.onnx",
                "hf://../../x", "hf://org/../../etc/m.onnx", "maven:g:a:1!/../m.onnx", "https:///m.onnx")) {
            InvalidDescriptorException e = bad(head + "'" + source + "'\n");
            assertEquals(source, "artifacts[0].source", e.field());
        }
        assertEquals(1, read(head + "'hf://org/repo/m.onnx'\n").size());
        assertEquals(1, read(head + "'maven:g:a:1!/m.onnx'\n").size());
    }

    @Test
    public void namesAndVersionsWithSpacesAreRejectedNotChanged() {
        String artifacts = "family: detection\nartifacts:\n  - source: file:/x.onnx\n";
        assertTrue(bad("name: 'yolo '\nversion: '1'\n" + artifacts).getMessage().contains("invalid model name"));
        assertTrue(bad("name: yolo\nversion: '1 '\n" + artifacts).getMessage().contains("invalid model version"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hub.api.ModelRef.parse("yolo@"));
        assertTrue(e.getMessage(), e.getMessage().contains("no version after '@'"));
    }

    @Test
    public void anOversizedDescriptorIsRefusedBeforeParsing() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("catalog");
        CatalogRegistry registry = CatalogRegistry.onFiles(dir.resolve("custom"),
                CatalogRegistry.class.getResourceAsStream("/catalog/builtin.yaml"));
        java.nio.file.Path big = dir.resolve("big.yaml");
        StringBuilder b = new StringBuilder("name: m\nversion: '1'\nfamily: detection\ntags:\n");
        while (b.length() < 10 << 20) {
            b.append("  - aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n");
        }
        java.nio.file.Files.writeString(big, b);
        long t0 = System.nanoTime();
        InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class, () -> registry.register(big));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(e.getMessage(), e.getMessage().contains("at most 1048576 bytes"));
        assertTrue("took " + ms + " ms", ms < 1000);
        assertTrue(registry.list(hub.api.ModelQuery.ALL).stream().noneMatch(d -> d.name().equals("m")));
    }
}
