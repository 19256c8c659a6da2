package hub.shell.internal;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.Test;

public class LauncherTest {
    @Test
    public void decodesNulSeparatedArguments() {
        String enc = Base64.getEncoder().encodeToString("list\0--family\0a b\0\0".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("list", "--family", "a b", ""), Launcher.decode(enc));
    }

    @Test
    public void suggestsTheClosestWords() {
        assertEquals(List.of("--threshold"), hub.core.text.Suggestions.closest("--treshold", List.of("--threshold", "--top", "--json")));
        assertEquals(List.of("detect"), hub.core.text.Suggestions.closest("detcet", List.of("detect", "delete", "classify")));
        assertEquals(List.of(), hub.core.text.Suggestions.closest("zzz", List.of("detect", "classify")));
    }
}
