package hub.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

/**
 * The command line as a user meets it, through the real {@code bin/hub}: help and mistakes, the background hub
 * (start, reuse, stop, a stale socket, idle exit, Ctrl-C), offline behaviour, completion scripts, the interactive
 * shell on a pseudo-terminal, and the drawn images.
 */
public class CommandLineIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Path> homes = new ArrayList<>();

    private Path home(String name) {
        Path h = HubOptions.freshHome(name);
        homes.add(h);
        return h;
    }

    /** Every background hub a test started is stopped, whatever the test's outcome. */
    @After
    public void stopDaemons() throws Exception {
        for (Path h : homes) {
            daemon(h).ifPresent(p -> {
                p.destroy();
                try {
                    p.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
        }
    }

    private static HubCommandLineIT.Run hub(Path home, String... args) throws IOException, InterruptedException {
        return HubCommandLineIT.served(home, home, args).await(String.join(" ", args));
    }

    private static HubCommandLineIT.Run hub(Map<String, String> env, Path home, String... args)
            throws IOException, InterruptedException {
        return HubCommandLineIT.start(env, home, home, args).await(String.join(" ", args));
    }

    /** The background hub of a home: the JVM started for it (hub.app.Main with its hub.home). */
    static Optional<ProcessHandle> daemon(Path home) {
        String marker = "-Dhub.home=" + home;
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(marker)
                && c.contains("hub.app.Main") && c.contains("hub.cli.args")).orElse(false)).findFirst();
    }

    private static void assertOneLine(HubCommandLineIT.Run r) {
        assertEquals(r.err(), 1, r.err().lines().count());
        assertFalse(r.err(), r.err().contains("Exception"));
    }

    @Test
    public void helpNamesEveryCommandAndMistakesGetOneHelpfulLine() throws Exception {
        Path home = home("help");
        HubCommandLineIT.Run help = hub(home, "--help");
        assertEquals(help.err(), 0, help.exit());
        for (String c : List.of("detect", "classify", "ocr", "faces", "compare-faces", "embed", "embedders", "index",
                "search", "list", "info", "pull", "verify", "rm", "cache", "cleanup", "history", "register",
                "unregister", "sync", "clean", "load", "unload", "status", "active", "switch", "pin", "unpin",
                "device", "health", "key", "bench", "serve", "stop", "version", "completion", "help")) {
            assertTrue("hub --help lists " + c + ":\n" + help.out(), help.out().contains("\n  " + c + " ")
                    || help.out().contains("\n  " + c + ","));
        }
        assertEquals(help.out(), hub(home, "-h").out());
        assertTrue(hub(home, "--version").out().startsWith("Vision Model Hub 0.1.0"));
        HubCommandLineIT.Run detectHelp = hub(home, "detect", "--help");
        assertEquals(0, detectHelp.exit());
        assertTrue(detectHelp.out(), detectHelp.out().startsWith("Usage: hub detect") && detectHelp.out().contains("--threshold"));
        assertEquals(detectHelp.out(), hub(home, "help", "detect").out());
        assertEquals(detectHelp.out(), hub(home, "detect", "-h").out());

        HubCommandLineIT.Run typo = hub(home, "detect", "--treshold", "0.5", "dog.jpg");
        assertEquals(2, typo.exit());
        assertOneLine(typo);
        assertTrue(typo.err(), typo.err().contains("unknown option '--treshold'; did you mean --threshold?")
                && typo.err().contains("usage: hub detect [OPTIONS] IMAGE..."));
        HubCommandLineIT.Run badValue = hub(home, "detect", "--threshold", "abc", "dog.jpg");
        assertEquals(2, badValue.exit());
        assertOneLine(badValue);
        assertTrue(badValue.err(), badValue.err().contains("'--threshold'") && badValue.err().contains("'abc'"));
        HubCommandLineIT.Run command = hub(home, "detcet", "dog.jpg");
        assertEquals(2, command.exit());
        assertOneLine(command);
        assertTrue(command.err(), command.err().contains("unknown command 'detcet'; did you mean detect?"));
        HubCommandLineIT.Run model = hub(home, "info", "yolov8x");
        assertEquals(3, model.exit());
        assertEquals("hub: unknown model 'yolov8x': did you mean yolov8n or yolov8s?\n", model.err());
        HubCommandLineIT.Run family = hub(home, "list", "--family", "detectoin");
        assertEquals(2, family.exit());
        assertTrue(family.err(), family.err().contains("did you mean detection?"));
        HubCommandLineIT.Run alias = hub(home, "switch", "detectr=yolov8n@8.2.0");
        assertEquals(10, alias.exit());
        assertTrue(alias.err(), alias.err().contains("did you mean detector?"));
        HubCommandLineIT.Run missing = hub(home, "detect");
        assertEquals(2, missing.exit());
        assertOneLine(missing);
        assertTrue(missing.err(), missing.err().contains("IMAGE"));

        // a new home's aliases are set; the empty index says so rather than printing nothing
        JsonNode active = JSON.readTree(hub(home, "active", "--json").out());
        assertEquals("yolov8n@8.2.0", active.get("detector").asText());
        assertEquals("pp-ocrv4-v3rec@1.2.2", active.get("ocr").asText());
        assertEquals(5, active.size());
        assertEquals("no collections\n", hub(home, "index", "list").out());
    }

    @Test
    public void theFirstCommandStartsOneBackgroundHubThatLaterOnesReuseUntilStop() throws Exception {
        Path home = home("daemon");
        assertTrue(daemon(home).isEmpty());
        HubCommandLineIT.Run first = hub(home, "version");
        assertEquals(first.err(), 0, first.exit());
        ProcessHandle d = daemon(home).orElseThrow(() -> new AssertionError("no background hub started"));
        assertTrue(Files.exists(home.resolve("run/hub.sock")));
        // concurrent commands reach the same hub: still one
        List<HubCommandLineIT.Started> many = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            many.add(HubCommandLineIT.served(home, home, "status"));
        }
        for (HubCommandLineIT.Started s : many) {
            HubCommandLineIT.Run r = s.await("status");
            assertEquals(r.err(), 0, r.exit());
            assertTrue(r.out(), r.out().startsWith("no model loaded"));
        }
        assertEquals(d.pid(), daemon(home).orElseThrow().pid());
        assertTrue("the hub logs to its file, not the console", Files.readString(home.resolve("logs/hub.log"))
                .contains("[daemon "));

        HubCommandLineIT.Run stop = hub(home, "stop");
        assertEquals(stop.err(), 0, stop.exit());
        assertTrue(stop.out(), stop.out().startsWith("stopping the hub serving " + home));
        assertTrue("the background hub exits", d.onExit().get(30, TimeUnit.SECONDS) != null);
        assertFalse(Files.exists(home.resolve("run/hub.sock")));
        HubCommandLineIT.Run again = hub(home, "stop");
        assertEquals(0, again.exit());
        assertEquals("no hub is running for " + home + "\n", again.out());
        assertTrue("stop starts nothing", daemon(home).isEmpty());
    }

    @Test
    public void theBackgroundHubStepsAsideForHubServe() throws Exception {
        Path home = home("release");
        assertEquals(0, hub(home, "version").exit());
        ProcessHandle d = daemon(home).orElseThrow();
        HubCommandLineIT.Started serve = HubCommandLineIT.served(home, home, "serve", "--no-http");
        d.onExit().get(60, TimeUnit.SECONDS); // the background hub left
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.readString(serve.out()).contains("serving " + home) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.readString(serve.err()), Files.readString(serve.out()).startsWith("serving " + home));
        HubCommandLineIT.Run second = hub(home, "serve", "--no-http");
        assertEquals(1, second.exit());
        assertTrue(second.err(), second.err().contains("already serving"));
        assertEquals(0, hub(home, "stop").exit());
        assertEquals(0, serve.await("serve").exit());
        assertTrue(daemon(home).isEmpty());
    }

    @Test
    public void aKilledBackgroundHubsSocketIsReplacedByTheNextCommand() throws Exception {
        Path home = home("stale");
        assertEquals(0, hub(home, "version").exit());
        ProcessHandle d = daemon(home).orElseThrow();
        d.destroyForcibly(); // SIGKILL: the socket file stays behind, nobody answers on it
        d.onExit().get(30, TimeUnit.SECONDS);
        assertTrue("a stale socket", Files.exists(home.resolve("run/hub.sock")));
        HubCommandLineIT.Run r = hub(home, "version");
        assertEquals(r.err(), 0, r.exit());
        assertTrue(r.out().startsWith("Vision Model Hub"));
        ProcessHandle next = daemon(home).orElseThrow();
        assertNotEquals(d.pid(), next.pid());
    }

    @Test
    public void aBackgroundHubStartedFromAnotherEnvironmentIsReplaced() throws Exception {
        Path home = home("environment");
        assertEquals(0, hub(Map.of("HUB_DAEMON", "true", "HF_ENDPOINT", "https://a.example"), home, "version").exit());
        ProcessHandle first = daemon(home).orElseThrow();
        assertEquals(0, hub(Map.of("HUB_DAEMON", "true", "HF_ENDPOINT", "https://a.example"), home, "version").exit());
        assertEquals("the same environment reuses it", first.pid(), daemon(home).orElseThrow().pid());
        HubCommandLineIT.Run other = hub(Map.of("HUB_DAEMON", "true", "HF_ENDPOINT", "https://b.example"), home,
                "version");
        assertEquals(other.err(), 0, other.exit());
        first.onExit().get(30, TimeUnit.SECONDS);
        assertNotEquals(first.pid(), daemon(home).orElseThrow().pid());
    }

    @Test
    public void anIdleBackgroundHubExitsByItself() throws Exception {
        Path home = home("idle");
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/hub.daemon.cfg"), "idleMinutes=0.05\n"); // 3 s
        assertEquals(0, hub(home, "version").exit());
        ProcessHandle d = daemon(home).orElseThrow();
        d.onExit().get(60, TimeUnit.SECONDS);
        assertFalse(Files.exists(home.resolve("run/hub.sock")));
        assertTrue(Files.readString(home.resolve("logs/hub.log")).contains("idle"));
    }

    @Test
    public void offlineUsesTheCacheOnlyAndAnUnreachableSourceFailsAtOnce() throws Exception {
        Path home = home("offline");
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/hub.store.cfg"), "allowHttp=true\nretryBackoffMillis=2000\n");
        int closed = HubOptions.freePort(); // nothing listens there
        Files.writeString(home.resolve("m.yaml"), String.join("\n", "name: far", "version: '1'", "family: detection",
                "artifacts:", "  - source: http://127.0.0.1:" + closed + "/m.onnx", ""));
        assertEquals(0, hub(home, "register", "m.yaml").exit());

        HubCommandLineIT.Run offline = hub(home, "--offline", "pull", "yolov8n");
        assertEquals(offline.err(), 8, offline.exit());
        assertTrue(offline.err(), offline.err().contains("yolov8n@8.2.0 is not in the cache (offline"));
        HubCommandLineIT.Run env = hub(Map.of("HUB_OFFLINE", "1", "HUB_DAEMON", "true"), home, "pull", "yolov8s");
        assertEquals(env.err(), 8, env.exit());
        assertTrue(env.err(), env.err().contains("yolov8s@8.2.0 is not in the cache (offline"));
        HubCommandLineIT.Run implicit = hub(home, "--offline", "load", "yunet");
        assertEquals(implicit.err(), 8, implicit.exit());
        assertTrue(implicit.err(), implicit.err().contains("offline: yunet@2023mar is not in the cache"));

        long t = System.nanoTime();
        HubCommandLineIT.Run unreachable = hub(home, "pull", "far");
        long ms = (System.nanoTime() - t) / 1_000_000;
        assertEquals(unreachable.err(), 5, unreachable.exit());
        assertTrue(unreachable.err(), unreachable.err().contains("cannot reach 127.0.0.1:" + closed + " (offline?)"));
        assertTrue("no retries with 2 s pauses: " + ms + " ms", ms < 4000);
        JsonNode history = JSON.readTree(hub(home, "history", "far", "--json").out());
        assertEquals(history.toString(), 2, history.size()); // the one failed attempt, then the outcome
    }

    @Test
    public void ctrlCOnAPullAnsweredByTheBackgroundHubCancelsItsTransfer() throws Exception {
        byte[] body = new byte[4_000_000];
        new java.util.Random(1).nextBytes(body);
        AtomicLong sent = new AtomicLong();
        AtomicLong lastWrite = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/slow.onnx", ex -> {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                for (int off = 0; off < body.length; off += 16_384) {
                    out.write(body, off, Math.min(16_384, body.length - off));
                    out.flush();
                    sent.addAndGet(16_384);
                    lastWrite.set(System.nanoTime());
                    Thread.sleep(25);
                }
            } catch (IOException | InterruptedException e) {
                // the hub stopped reading
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        try {
            Path home = home("cancel");
            Files.createDirectories(home.resolve("config"));
            Files.writeString(home.resolve("config/hub.store.cfg"), "allowHttp=true\n");
            Files.writeString(home.resolve("slow.yaml"), String.join("\n", "name: slow", "version: '1'",
                    "family: detection", "artifacts:", "  - source: http://127.0.0.1:" + server.getAddress().getPort()
                            + "/slow.onnx", ""));
            assertEquals(0, hub(home, "register", "slow.yaml").exit());
            HubCommandLineIT.Started pull = HubCommandLineIT.served(home, home, "pull", "slow");
            long deadline = System.currentTimeMillis() + 60_000;
            while (sent.get() < 300_000 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            ProcessHandle client = pull.process().descendants().filter(p -> p.info().commandLine()
                    .map(c -> c.contains("hub.client.HubClient")).orElse(false)).findFirst().orElseThrow();
            new ProcessBuilder("kill", "-INT", String.valueOf(client.pid())).start().waitFor();
            pull.process().waitFor(30, TimeUnit.SECONDS);
            Thread.sleep(1500);
            long atCancel = sent.get();
            Thread.sleep(1000);
            assertEquals("the transfer stopped", atCancel, sent.get());
            assertTrue("cancelled before the end", sent.get() < body.length);
            JsonNode history = JSON.readTree(hub(home, "history", "slow", "--json").out());
            assertTrue(history.toString(), history.toString().contains("cancelled"));
            assertTrue("the part stays for the next pull to resume", Files.exists(home.resolve("cache/slow/1/slow.onnx.part")));

            // a model a command downloads before it loads shows the same progress as pull (then fails: no ONNX)
            HubCommandLineIT.Run load = hub(home, "load", "slow");
            assertTrue(load.err(), load.err().contains("slow@1 model") && load.err().contains("100%"));
            assertTrue(load.err(), load.err().lines().anyMatch(l -> l.contains("%") && !l.contains("100%")));
        } finally {
            server.stop(0);
        }
    }

    @Test
    public void completionScriptsCompleteCommandsOptionsAndModelNames() throws Exception {
        Path home = home("completion");
        HubCommandLineIT.Run bash = hub(home, "completion", "bash");
        assertEquals(bash.err(), 0, bash.exit());
        Path script = home.resolve("hub-completion.bash");
        Files.writeString(script, bash.out());
        String probe = "source " + script + " 2>/dev/null\n"
                + "c() { COMP_WORDS=(\"$@\"); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMP_LINE=\"$*\"; COMP_POINT=${#COMP_LINE};"
                + " COMPREPLY=(); _complete_hub 2>/dev/null; echo \"${COMPREPLY[*]}\"; }\n"
                + "c hub det\nc hub detect --thr\nc hub info yolo\nc hub load --device ''\n";
        Process p = new ProcessBuilder("bash", "-c", probe).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        List<String> lines = out.lines().toList();
        assertEquals(out, "detect", lines.get(0));
        assertEquals(out, "--threshold", lines.get(1));
        assertTrue(out, lines.get(2).contains("yolov8n") && lines.get(2).contains("yolov8s@8.2.0"));
        assertTrue(out, lines.get(3).contains("auto") && lines.get(3).contains("gpu"));
        HubCommandLineIT.Run zsh = hub(home, "completion", "zsh");
        assertEquals(0, zsh.exit());
        assertTrue(zsh.out().contains("bashcompinit") && zsh.out().contains("_complete_hub"));
        HubCommandLineIT.Run fish = hub(home, "completion", "fish");
        assertEquals(2, fish.exit());
    }

    @Test
    public void theInteractiveShellHasHistoryCompletionAndOneLineErrors() throws Exception {
        Assume.assumeTrue("skipped: no script(1) for a pseudo-terminal", Files.isExecutable(Path.of("/usr/bin/script")));
        Path home = home("shell");
        String cmd = "stty cols 120; HUB_JAR=" + System.getProperty("hub.itest.jar") + " "
                + System.getProperty("hub.itest.launcher") + " --home " + home;
        Process p = new ProcessBuilder("script", "-qfc", cmd, "/dev/null").redirectErrorStream(true).start();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(new OutputStream() {
                    @Override
                    public void write(int b) {
                        synchronized (seen) {
                            seen.write(b);
                        }
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        synchronized (seen) {
                            seen.write(b, off, len);
                        }
                    }
                });
            } catch (IOException e) {
                // closed
            }
        });
        reader.start();
        OutputStream keys = p.getOutputStream();
        awaitText(seen, "Tab to complete", 90);
        type(keys, "vers\t\n"); // Tab completes the command
        awaitText(seen, "(build ", 30);
        type(keys, "info yolov8x\n");
        awaitText(seen, "did you mean yolov8n", 30);
        type(keys, "exit\n");
        assertTrue("the shell ends on exit", p.waitFor(30, TimeUnit.SECONDS));
        String screen;
        synchronized (seen) {
            screen = seen.toString(StandardCharsets.UTF_8);
        }
        assertEquals(screen, 0, p.exitValue());
        assertTrue(screen, screen.contains("Vision Model Hub 0.1.0"));
        assertFalse(screen, screen.contains("Exception") || screen.contains("INFO"));
        String history = Files.readString(home.resolve("history"));
        assertTrue(history, history.contains("version") && history.contains("info yolov8x"));

        // piped in, without a terminal: one command per line, no banner, no prompt, the last command's status
        Process piped = new ProcessBuilder("bash", "-c", "printf 'version\\n# note\\ninfo nosuch\\n' | HUB_JAR="
                + System.getProperty("hub.itest.jar") + " " + System.getProperty("hub.itest.launcher") + " --home " + home)
                .start();
        String out = new String(piped.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(piped.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(piped.waitFor(60, TimeUnit.SECONDS));
        assertEquals(err, 3, piped.exitValue());
        assertTrue(out, out.startsWith("Vision Model Hub 0.1.0") && !out.contains("hub>"));
        assertEquals("hub: unknown model 'nosuch': hub list shows the catalog\n", err);
    }

    private static void type(OutputStream keys, String text) throws IOException, InterruptedException {
        for (char c : text.toCharArray()) {
            keys.write(c);
            keys.flush();
            Thread.sleep(c == '\t' ? 400 : 15);
        }
    }

    private static void awaitText(ByteArrayOutputStream seen, String text, int seconds) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < deadline) {
            synchronized (seen) {
                if (seen.toString(StandardCharsets.UTF_8).contains(text)) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        synchronized (seen) {
            throw new AssertionError("'" + text + "' not shown within " + seconds + " s:\n" + seen.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    public void detectDrawsItsBoxesAndSaysWhereAndAWarmSecondCommandReusesTheModel() throws Exception {
        Path models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        Path images = models.resolveSibling("images");
        Assume.assumeTrue("skipped: real model fixtures not found at " + models,
                Files.isRegularFile(models.resolve("detection/yolov8n-int8.onnx")) && Files.isRegularFile(images.resolve("dog.jpg")));
        Path home = home("draw");
        Files.copy(images.resolve("dog.jpg"), home.resolve("dog.jpg"));
        Files.writeString(home.resolve("yolo.yaml"), String.join("\n", "name: yolo-local", "version: '1'",
                "family: detection", "artifacts:", "  - source: " + models.resolve("detection/yolov8n-int8.onnx").toUri(),
                "    sha256: 83de8f0d2cd521e00ae2b138c340a03dece35b060b3898509bdc69afff417312", "    size: 3504119", ""));
        assertEquals(0, hub(home, "register", "yolo.yaml").exit());
        HubCommandLineIT.Run r = hub(home, "detect", "--model", "yolo-local", "--out", "boxes.png", "dog.jpg");
        assertEquals(r.err(), 0, r.exit());
        // the model is fetched into the cache first, with its progress, then the drawing is written
        assertTrue(r.err(), r.err().startsWith("yolo-local@1 model") && r.err().contains("100%"));
        assertTrue(r.err(), r.err().endsWith("ready\nwrote " + home.resolve("boxes.png") + "\n"));
        var drawn = ImageIO.read(home.resolve("boxes.png").toFile());
        var original = ImageIO.read(images.resolve("dog.jpg").toFile());
        assertEquals(original.getWidth(), drawn.getWidth());
        Path artifacts = Path.of("target/annotated");
        Files.createDirectories(artifacts);
        Files.copy(home.resolve("boxes.png"), artifacts.resolve("cli-detect-dog.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // the background hub keeps the model loaded: the next command finds it there
        JsonNode status = JSON.readTree(hub(home, "status", "--json").out());
        assertEquals("yolo-local@1", status.get(0).get("ref").asText());
        long served = status.get(0).get("leasesServed").asLong();
        assertEquals(0, hub(home, "detect", "--model", "yolo-local", "dog.jpg").exit());
        JsonNode after = JSON.readTree(hub(home, "status", "--json").out());
        assertEquals(served + 1, after.get(0).get("leasesServed").asLong());
        assertEquals(status.get(0).get("loadedAt").asText(), after.get(0).get("loadedAt").asText());
        HubCommandLineIT.Run text = hub(home, "status");
        assertTrue(text.out(), (text.out().contains(" ago") || text.out().contains("just now")) && text.out().contains("in 30 minutes"));
    }
}
