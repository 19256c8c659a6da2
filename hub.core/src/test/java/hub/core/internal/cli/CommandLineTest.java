package hub.core.internal.cli;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.Test;

public class CommandLineTest {
    @Test
    public void decodesNulSeparatedArguments() {
        String enc = Base64.getEncoder().encodeToString("list\0--family\0a b\0\0".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("list", "--family", "a b", ""), CommandLine.decode(enc));
    }

    @Test
    public void quotesEveryArgumentLiterally() {
        assertEquals("hub:info 'yolov8n@8.2.0' '--json'", CommandLine.gogo("hub", List.of("info", "yolov8n@8.2.0", "--json")));
        assertEquals("\"it's \\$HOME \\\"x\\\" \\\\\"", CommandLine.quote("it's $HOME \"x\" \\"));
    }
}
