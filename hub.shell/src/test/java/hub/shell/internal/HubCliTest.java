package hub.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import hub.shell.internal.commands.Session;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/** The command line's parsing, errors and completion, without a hub behind it (no command here reaches a service). */
public class HubCliTest {
    private final HubCli cli = new HubCli(new hub.shell.internal.commands.Services(null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null));
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        Session s = new Session(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Path.of("/tmp"), false, false, 80, false, null);
        return cli.execute(List.of(args), s);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void mistakesAreOneLineWithASuggestionAndTheExpectedForm() {
        assertEquals(2, run("detect", "--treshold", "0.5", "dog.jpg"));
        assertEquals("hub: detect: unknown option '--treshold'; did you mean --threshold? (usage: hub detect [OPTIONS] IMAGE...)\n",
                err());
        err.reset();
        assertEquals(2, run("detect", "--threshold", "abc", "dog.jpg"));
        assertTrue(err(), err().startsWith("hub: detect: invalid value for option '--threshold': 'abc' is not a float"));
        err.reset();
        assertEquals(2, run("classifyy", "x.jpg"));
        assertTrue(err(), err().startsWith("hub: unknown command 'classifyy'; did you mean classify?"));
        err.reset();
        assertEquals(2, run("compare-faces", "a.jpg"));
        assertTrue(err(), err().contains("usage: hub compare-faces [OPTIONS] IMAGE..."));
        err.reset();
        assertEquals(2, run("key", "create"));
        assertTrue(err(), err().contains("'--tier=TIER'") && err().contains("usage: hub key create --tier TIER [OPTIONS]"));
        err.reset();
        assertEquals(2, run("detect", "--threshold", "7", "dog.jpg"));
        assertEquals("hub: --threshold wants a number from 0 to 1, not 7.0\n", err());
    }

    @Test
    public void helpAndVersionComeFromTheDeclarations() {
        assertEquals(0, run("detect", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help, help.startsWith("Usage: hub detect [-h] [--json] [--offline]"));
        assertTrue(help, !help.contains("--version") && !help.contains("Exit codes"));
        out.reset();
        assertEquals(0, run("help", "detect"));
        assertEquals(help, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void completionOffersCommandsOptionsValuesAndFiles() {
        assertEquals(List.of("detect", "device"), values(cli.complete(List.of("de"))));
        assertEquals(List.of("--threshold"), values(cli.complete(List.of("detect", "--thr"))));
        assertEquals(List.of("auto", "cpu", "gpu"), values(cli.complete(List.of("load", "--device", ""))));
        assertEquals(List.of(hub.client.Backend.FILES), values(cli.complete(List.of("detect", "--json", ""))));
        assertEquals(List.of("add", "drop", "list", "ls", "remove", "rm", "search"),
                values(cli.complete(List.of("index", ""))).stream().sorted().toList());
    }

    @Test
    public void theGogoFunctionsAreTheDeclaredCommands() {
        assertTrue(cli.commands().containsAll(List.of("detect", "help", "compare-faces", "ls", "ps", "index", "key")));
        assertEquals(cli.commands().size(), new java.util.HashSet<>(cli.commands()).size());
    }

    private static List<String> values(List<String[]> candidates) {
        return candidates.stream().map(c -> c[0]).toList();
    }
}
