package hub.loader.ocr.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import hub.api.ArtifactSpec;
import hub.api.Device;
import hub.api.Family;
import hub.api.LoaderParameters;
import hub.api.ModelDescriptor;
import hub.api.spi.LoadRequest;
import hub.api.spi.LoadedModel;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import hub.api.task.TextLine;
import hub.api.task.TextReader;
import java.awt.Font;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Tesseract as the second OCR engine: Debian's libtesseract5 through JNA, with the English traineddata from the
 * Tess4J jar on Maven Central (a test dependency). Skips where the native library is not installed.
 */
public class TesseractTest {
    private static LoadedModel model;
    private static TextReader reader;
    private static TesseractLoader loader;

    @BeforeClass
    public static void open() throws Exception {
        loader = new TesseractLoader();
        try {
            loader.api();
        } catch (IllegalStateException e) {
            assumeTrue("skipped: " + e.getMessage() + " (.ci/run installs libtesseract5)", false);
        }
        Path dir = Files.createTempDirectory("tessdata");
        Path data = dir.resolve("english.bin"); // any name: the loader links it as eng.traineddata
        try (InputStream in = TesseractTest.class.getClassLoader().getResourceAsStream("tessdata/eng.traineddata")) {
            Files.copy(in, data, StandardCopyOption.REPLACE_EXISTING);
        }
        ModelDescriptor d = new ModelDescriptor("tesseract-eng", "1", Family.OCR, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", data.toUri(), null, -1, null)),
                new LoaderParameters(Map.of("engine", "tesseract", "language", "eng")), null);
        assertTrue(loader.accepts(d));
        assertTrue("the PaddleOCR loader leaves it to Tesseract", !new OcrLoader(null).accepts(d));
        model = loader.open(new LoadRequest(d, Map.of("model", data), Device.CPU, 0, 0));
        reader = model.task(TextReader.class).orElseThrow();
    }

    @AfterClass
    public static void close() {
        if (model != null) {
            model.close();
        }
    }

    private static List<String> read(ImageInput in) {
        return reader.read(List.of(in)).get(0).value().stream().map(TextLine::text).toList();
    }

    @Test
    public void textInSeveralFontsAndSizesIsReadBack() throws Exception {
        int exact = 0;
        List<String> misses = new ArrayList<>();
        for (String font : List.of(Font.SANS_SERIF, Font.SERIF, Font.MONOSPACED)) {
            for (int size : List.of(20, 28, 40)) {
                for (String text : List.of("Vision Model Hub", "serves models 24/7", "quick brown fox")) {
                    List<String> got = read(OcrTest.text(font + size, 40 + text.length() * size, size * 3, font, size,
                            text, size * 2));
                    if (got.equals(List.of(text))) {
                        exact++;
                    } else {
                        misses.add(font + "/" + size + ": " + got);
                    }
                }
            }
        }
        System.out.println("Tesseract read " + exact + "/27 rendered lines exactly; misses: " + misses);
        assertTrue(exact + "/27 exact; misses: " + misses, exact >= 24);
    }

    @Test
    public void linesComeInReadingOrderWithBoxesAndBadImagesKeepTheirErrors() throws Exception {
        ImageInput page = OcrTest.text("page", 600, 260, Font.SANS_SERIF, 32, "first line of text", 50,
                Font.SANS_SERIF, 32, "second line here", 130, Font.SANS_SERIF, 32, "third and last", 210);
        List<ImageResult<List<TextLine>>> r = reader.read(List.of(page, new ImageInput("empty.png", new byte[0]),
                OcrTest.text("blank", 300, 100)));
        List<TextLine> lines = r.get(0).value();
        assertEquals(List.of("first line of text", "second line here", "third and last"),
                lines.stream().map(TextLine::text).toList());
        assertTrue(lines.get(0).polygon().get(0).y() < lines.get(1).polygon().get(0).y());
        assertTrue(lines.get(0).polygon().get(2).y() <= 60 && lines.get(0).polygon().get(0).x() >= 15);
        assertTrue(lines.get(0).confidence() > 0.8f);
        assertEquals("empty image", r.get(1).error());
        assertEquals("a blank page has no lines", List.of(), r.get(2).value());
    }

    @Test
    public void openMpRunsOneThreadPerCallAndPagesRunSideBySide() throws Exception {
        assumeTrue("OMP_THREAD_LIMIT is set in this environment", System.getenv("OMP_THREAD_LIMIT") == null);
        assertEquals("OpenMP's thread limit in this process", 1, loader.openMpThreadLimit());
        // several pages at once, each on its own engine: all read right
        ImageInput page = OcrTest.text("page", 500, 120, Font.SANS_SERIF, 28, "pages side by side", 60);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<List<String>>> reads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                reads.add(pool.submit(() -> read(page)));
            }
            for (var f : reads) {
                assertEquals(List.of("pages side by side"), f.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    public void pagesAreReadAsDebiansCommandLineReadsThem() throws Exception {
        Path cli = Path.of("/usr/bin/tesseract");
        assumeTrue("skipped: Debian's tesseract command line is not installed (.ci/run installs tesseract-ocr)",
                Files.isExecutable(cli));
        var cases = OcrCases.all();
        for (TextPages.Page page : List.of(cases.get("clean 12-32 px").get(3), cases.get("tilted, noisy, shaded 16-32 px").get(2),
                cases.get("two columns").get(0))) {
            Path png = Files.createTempFile("page", ".png");
            try {
                javax.imageio.ImageIO.write(page.image(), "png", png.toFile());
                // the command line with its defaults: page segmentation 3, resolution estimated from the text
                Process p = new ProcessBuilder(cli.toString(), png.toString(), "-", "-l", "eng")
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertEquals(0, p.waitFor());
                List<String> expected = out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
                assertEquals(page.name(), String.join(" ", expected), String.join(" ", read(OcrCases.png(page))));
            } finally {
                Files.deleteIfExists(png);
            }
        }
    }
}
