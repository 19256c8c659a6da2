package hub.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class ModelRefTest {
    @Test
    public void parsesTheThreeForms() {
        assertEquals(new ModelRef("yolov8n", null), ModelRef.parse("yolov8n"));
        assertEquals(new ModelRef("yolov8n", "8.2.0"), ModelRef.parse("yolov8n@8.2.0"));
        assertNull(ModelRef.parse("yolov8n@latest").version());
        assertNull(ModelRef.parse("yolov8n@LATEST").version());
        assertEquals("resnet50@v2-7", ModelRef.parse("resnet50@v2-7").toString());
    }

    @Test
    public void rejectsNamesThatCouldLeaveTheHubHome() {
        for (String bad : new String[] {"../etc", "a/b", "a\\b", "..", "x..y", "", ".hidden", "a\u0000b", "tab\tname",
                "new\nline", "x@1@2", "@1"}) {
            IllegalArgumentException e = assertThrows(bad, IllegalArgumentException.class, () -> ModelRef.parse(bad));
            assertTrue(e.getMessage(), e.getMessage().contains("model") || e.getMessage().contains("reference"));
        }
        assertThrows(IllegalArgumentException.class, () -> ModelRef.parse("ok@../x"));
        assertThrows(IllegalArgumentException.class, () -> ModelRef.parse("ok@a/b"));
    }

    @Test
    public void controlCharactersAreShownEscapedInErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelRef.validateName("a\u0007b"));
        assertTrue(e.getMessage(), e.getMessage().contains("\\u0007"));
    }
}
