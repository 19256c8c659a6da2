package hub.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.itest.HubCommandLineIT.Run;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.imageio.ImageIO;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Plug-ins as a user installs them, through {@code bin/hub} and the background hub, following the plug-in guide
 * (examples/digits/README.md): the example's jar (built by the reactor, as the guide's {@code mvn install} builds it)
 * installed into the home's plug-ins folder, listed, used, updated, kept across restarts and one-shot processes,
 * and removed; and the API compatibility rule on generated bundles.
 */
public class PluginsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path home;
    private static Path work;

    /** The plug-in as the guide builds it: examples/digits's pom.xml, bnd.bnd and src/main in an empty folder. */
    private static Path guideJar;

    @BeforeClass
    public static void freshHome() throws Exception {
        home = HubOptions.freshHome("plugins");
        work = Files.createTempDirectory(home.getParent(), "plugin-work");
        guideJar = buildAsTheGuideSays();
    }

    /**
     * The guide's prerequisite (the hub built once with {@code mvn install}, which puts its published artifacts into
     * the local Maven repository: done here by copying the reactor's jars and poms there, as install does), then its
     * steps 1 and 3: the example's files copied into an empty folder and built with {@code mvn package}.
     */
    private static Path buildAsTheGuideSays() throws Exception {
        Path root = Path.of(System.getProperty("hub.itest.launcher")).toAbsolutePath().getParent().getParent().getParent();
        Path repo = Path.of(System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("user.home") + "/.m2/repository"));
        String version = null;
        try (var s = Files.list(root.resolve("hub.api/target"))) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.matches("hub\\.api-.+\\.jar") && !n.contains("-tests") && !n.contains("-sources")) {
                    version = n.substring("hub.api-".length(), n.length() - ".jar".length());
                }
            }
        }
        Path parent = repo.resolve("io/visionhub/vision-hub/" + version);
        Files.createDirectories(parent);
        Files.copy(root.resolve("pom.xml"), parent.resolve("vision-hub-" + version + ".pom"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        for (String m : List.of("hub.api", "hub.runtime", "hub.imaging")) {
            Path dir = repo.resolve("io/visionhub/" + m + "/" + version);
            Files.createDirectories(dir);
            Files.copy(root.resolve(m + "/pom.xml"), dir.resolve(m + "-" + version + ".pom"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(root.resolve(m + "/target/" + m + "-" + version + ".jar"), dir.resolve(m + "-" + version + ".jar"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path project = Files.createTempDirectory(work, "guide");
        Path example = root.resolve("examples/digits");
        Files.copy(example.resolve("pom.xml"), project.resolve("pom.xml"));
        Files.copy(example.resolve("bnd.bnd"), project.resolve("bnd.bnd"));
        try (var files = Files.walk(example.resolve("src/main"))) {
            for (Path f : files.toList()) {
                Path to = project.resolve(example.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Path log = project.resolve("mvn.log");
        Process mvn = new ProcessBuilder("mvn", "-B", "-q", "package", "-Dmaven.repo.local=" + repo)
                .directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!mvn.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)) {
            mvn.destroyForcibly();
            throw new AssertionError("mvn package of the guide's project hung");
        }
        assertEquals("mvn package of the guide's project:\n" + Files.readString(log), 0, mvn.exitValue());
        try (var s = Files.list(project.resolve("target"))) {
            return s.filter(p -> p.getFileName().toString().matches("org\\.example\\.digits-.+\\.jar")).findFirst()
                    .orElseThrow();
        }
    }

    @AfterClass
    public static void stop() throws Exception {
        if (home != null) {
            hub("stop");
        }
    }

    private static Run hub(String... args) throws IOException, InterruptedException {
        return HubCommandLineIT.served(home, work, args).await(String.join(" ", args));
    }

    private static Run oneShot(String... args) throws IOException, InterruptedException {
        return HubCommandLineIT.start(home, work, args).await(String.join(" ", args));
    }

    private static Path digitsJar() throws IOException {
        try (var s = Files.list(Path.of(System.getProperty("hub.itest.bundles")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("org.example.digits")).findFirst().orElseThrow();
        }
    }

    /** The same jar with another Bundle-Version (an update of the plug-in). */
    private static Path withVersion(Path jar, String version) throws IOException {
        Path out = work.resolve("org.example.digits-" + version + ".jar");
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest m = new Manifest(in.getManifest());
            m.getMainAttributes().putValue("Bundle-Version", version);
            try (JarOutputStream o = new JarOutputStream(Files.newOutputStream(out), m)) {
                for (JarEntry e; (e = in.getNextJarEntry()) != null;) {
                    o.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(o);
                    o.closeEntry();
                }
            }
        }
        return out;
    }

    /** A bundle with only a manifest, importing the hub's SPI in the given range. */
    private static Path bundleImporting(String name, String range) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", name);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Import-Package", "hub.api;version=\"" + range + "\",hub.api.spi;version=\"" + range + "\"");
        Path out = work.resolve(name + ".jar");
        try (OutputStream o = new JarOutputStream(Files.newOutputStream(out), m)) {
            o.flush();
        }
        return out;
    }

    private static Path digitImage() throws IOException {
        BufferedImage img = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, 56, 56);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 44));
        g.drawString("7", 16, 46);
        g.dispose();
        Path p = work.resolve("seven.png");
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    @Test
    public void aPluginIsInstalledListedUsedUpdatedKeptAcrossRestartsAndRemoved() throws Exception {
        Run empty = hub("plugin", "list");
        assertEquals(empty.err(), 0, empty.exit());
        assertTrue(empty.out(), empty.out().startsWith("no plug-ins in " + home.resolve("plugins")));

        // the guide's steps: install the jar it built, list it, register a model of its family, use it
        Run installed = hub("plugin", "install", guideJar.toString());
        assertEquals(installed.err(), 0, installed.exit());
        assertTrue(installed.out(), installed.out().contains("installed org.example.digits")
                && installed.out().contains("families digits; embedding services digits"));
        JsonNode list = JSON.readTree(hub("plugin", "list", "--json").out());
        assertEquals(1, list.size());
        assertEquals("ACTIVE", list.get(0).get("state").asText());
        assertEquals("[\"digits\"]", list.get(0).get("families").toString());
        assertTrue(list.get(0).get("problem").isNull());

        Path models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        Path mnist = models.resolve("classification/mnist-8.onnx");
        if (Files.isRegularFile(mnist)) {
            Files.writeString(work.resolve("digits.yaml"), String.join("\n", "name: digits-mnist", "version: \"8\"",
                    "family: digits", "artifacts:", "  - role: model", "    source: " + mnist.toUri(), ""));
            Run register = hub("register", "digits.yaml");
            assertEquals(register.err(), 0, register.exit());
            digitImage();
            Run classify = hub("classify", "--model", "digits-mnist@8", "--json", "seven.png");
            assertEquals(classify.err(), 0, classify.exit());
            assertTrue(classify.out(), JSON.readTree(classify.out()).at("/results/0/value/0/label").asText().matches("[0-9]"));
        } else {
            System.out.println("PluginsIT: the classification step skipped, no " + mnist + " (../shared/models)");
        }

        // a new version replaces the old one
        Run update = hub("plugin", "install", withVersion(guideJar, "0.2.0").toString());
        assertEquals(update.err(), 0, update.exit());
        list = JSON.readTree(hub("plugin", "list", "--json").out());
        assertEquals(list.toString(), 1, list.size());
        assertEquals("0.2.0", list.get(0).get("version").asText());
        assertEquals("ACTIVE", list.get(0).get("state").asText());

        // the folder is the state: a restarted background hub and a one-shot process have it too
        assertEquals(0, hub("stop").exit());
        JsonNode again = JSON.readTree(hub("plugin", "list", "--json").out());
        assertEquals("ACTIVE", again.get(0).get("state").asText());
        Run embedders = oneShot("embedders");
        assertEquals(embedders.err(), 0, embedders.exit());
        assertTrue(embedders.out(), embedders.out().contains("digits   org.example.digits"));

        // removed: gone here, and from a new process
        Run removed = hub("plugin", "remove", "org.example.digits");
        assertEquals(removed.err(), 0, removed.exit());
        assertTrue(removed.out(), removed.out().startsWith("removed org.example.digits 0.2.0"));
        assertFalse(hub("embedders").out().contains("org.example.digits"));
        assertTrue(oneShot("plugin", "list").out().startsWith("no plug-ins"));
        Run unknown = hub("plugin", "remove", "org.example.digits");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err(), unknown.err().contains("no plug-in named 'org.example.digits'"));
    }

    @Test
    public void aPluginForAnOlderMinorApiRunsAndOneForANewerMajorIsRefusedNamingTheVersion() throws Exception {
        Run older = hub("plugin", "install", bundleImporting("org.example.older", "[1.0,2)").toString());
        assertEquals(older.err(), 0, older.exit());
        Run newer = hub("plugin", "install", bundleImporting("org.example.newer", "[2.0,3)").toString());
        assertEquals(2, newer.exit());
        assertTrue(newer.err(), newer.err().contains("needs hub.api version [2.0,3), but this hub has 1.")
                && newer.err().contains("built against a newer hub API"));
        assertFalse(Files.exists(home.resolve("plugins/org.example.newer-1.0.0.jar")));
        Run notBundle = hub("plugin", "install", Files.writeString(work.resolve("plain.jar"), "x").toString());
        assertEquals(2, notBundle.exit());
        assertTrue(notBundle.err(), notBundle.err().contains("plain.jar is not a jar with a manifest"));
        // a jar dropped into the folder by hand that cannot resolve: the list says why, in one line
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        m.getMainAttributes().putValue("Bundle-SymbolicName", "org.example.needy");
        m.getMainAttributes().putValue("Import-Package", "org.example.nowhere;version=\"[3,4)\"");
        try (OutputStream o = new JarOutputStream(Files.newOutputStream(home.resolve("plugins/needy.jar")), m)) {
            o.flush();
        }
        JsonNode needy = null;
        for (int i = 0; i < 50 && needy == null; i++) {
            for (JsonNode p : JSON.readTree(hub("plugin", "list", "--json").out())) {
                if ("needy.jar".equals(p.get("file").asText()) && "INSTALLED".equals(p.get("state").asText())) {
                    needy = p;
                }
            }
            Thread.sleep(needy == null ? 200 : 0);
        }
        assertTrue("File Install installed needy.jar", needy != null);
        assertEquals("needs package org.example.nowhere version [3.0.0,4.0.0), which no bundle of the hub exports",
                needy.get("problem").asText());
        assertEquals(0, hub("plugin", "remove", "needy.jar").exit());
        assertEquals(0, hub("plugin", "remove", "org.example.older").exit());
    }

    private static java.net.http.HttpResponse<String> http(String method, int port, String path, String key, Path body)
            throws IOException, InterruptedException {
        var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + key);
        b = body == null ? b.method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/java-archive").method(method,
                        java.net.http.HttpRequest.BodyPublishers.ofFile(body));
        return java.net.http.HttpClient.newHttpClient().send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The framework's own commands in the hub's command line (as the shell runs them, in the hub serving the home):
     * the Felix shell's {@code install -s} starts a third-party bundle at a level every mode reaches, and Gogo's
     * commands take bundle ids and names.
     */
    @Test
    public void theShellsInstallStartsAThirdPartyBundle() throws Exception {
        Path served = HubOptions.freshHome("plugins-gogo");
        try {
            HubCommandLineIT.Run install = HubCommandLineIT.served(served, work, "install", "-s",
                    digitsJar().toUri().toString()).await("install -s");
            assertEquals(install.err(), 0, install.exit());
            String lb = HubCommandLineIT.served(served, work, "lb", "digits").await("lb").out();
            assertTrue(lb, lb.matches("(?s).*\\|Active\\s*\\|\\s*50\\|Example plug-in: digits family.*"));
            String caps = HubCommandLineIT.served(served, work, "inspect", "cap", "service", "org.example.digits")
                    .await("inspect").out();
            assertTrue(caps, caps.contains("hub.api.spi.ModelLoader") && caps.contains("hub.model.family = digits"));
            assertEquals(0, HubCommandLineIT.served(served, work, "uninstall", "org.example.digits").await("uninstall").exit());
            assertTrue(HubCommandLineIT.served(served, work, "lb", "digits").await("lb").out()
                    .contains("No matching bundles"));
            // a hub command keeps its meaning: stop stops the hub, felix:stop a bundle
            HubCommandLineIT.Run bad = HubCommandLineIT.served(served, work, "headers", "nosuchbundle").await("headers");
            assertEquals(1, bad.exit());
            assertTrue(bad.err(), bad.err().startsWith("hub: headers: "));
        } finally {
            HubCommandLineIT.served(served, work, "stop").await("stop");
        }
    }

    @Test
    public void adminsManagePluginsOverHttpAndOthersMayNot() throws Exception {
        Path served = HubOptions.freshHome("plugins-http");
        int port = HubOptions.freePort();
        HubCommandLineIT.Started serve = HubCommandLineIT.start(served, work, "serve", "--port", String.valueOf(port));
        try {
            long deadline = System.currentTimeMillis() + 30_000;
            while (!Files.exists(served.resolve("run/hub.sock")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            String admin = HubCommandLineIT.served(served, work, "key", "create", "--tier", "lite", "--admin")
                    .await("key").out().lines().findFirst().orElseThrow().trim();
            String user = HubCommandLineIT.served(served, work, "key", "create", "--tier", "professional")
                    .await("key").out().lines().findFirst().orElseThrow().trim();
            var refused = http("GET", port, "/api/v1/plugins", user, null);
            assertEquals(refused.body(), 403, refused.statusCode());
            assertTrue(refused.body(), refused.body().contains("managing plug-ins needs an admin key"));
            assertEquals(403, http("POST", port, "/api/v1/plugins", user, digitsJar()).statusCode());
            assertEquals("[]", JSON.readTree(http("GET", port, "/api/v1/plugins", admin, null).body()).toString());

            var installed = http("POST", port, "/api/v1/plugins?name=digits.jar", admin, digitsJar());
            assertEquals(installed.body(), 201, installed.statusCode());
            JsonNode p = JSON.readTree(installed.body());
            assertEquals("ACTIVE", p.get("state").asText());
            assertEquals(installed.body(), "[\"digits\"]", p.get("families").toString());
            // the same folder for the command line of the home
            assertTrue(HubCommandLineIT.served(served, work, "plugin", "list").await("list").out()
                    .contains("org.example.digits"));

            var newer = http("POST", port, "/api/v1/plugins", admin, bundleImporting("org.example.newer2", "[2.0,3)"));
            assertEquals(newer.body(), 400, newer.statusCode());
            assertTrue(newer.body(), newer.body().contains("needs hub.api version [2.0,3)"));

            var removed = http("DELETE", port, "/api/v1/plugins/org.example.digits", admin, null);
            assertEquals(removed.body(), 200, removed.statusCode());
            assertEquals("[]", JSON.readTree(http("GET", port, "/api/v1/plugins", admin, null).body()).toString());
            var again = http("DELETE", port, "/api/v1/plugins/org.example.digits", admin, null);
            assertEquals(again.body(), 404, again.statusCode());
        } finally {
            HubCommandLineIT.served(served, work, "stop").await("stop");
            serve.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
