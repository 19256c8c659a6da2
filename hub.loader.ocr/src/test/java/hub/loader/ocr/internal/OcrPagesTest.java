package hub.loader.ocr.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import hub.api.spi.LoadedModel;
import hub.api.task.ImageInput;
import hub.api.task.TextReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The default OCR model (the built-in catalog's {@code ocr} alias: PP-OCRv4 detector, PP-OCRv3 recogniser, with the
 * catalog entry's parameters) on generated pages: clean text in three fonts at 12-32 px, tilted (-10..+10 degrees)
 * blurred, unevenly lit and noisy pages, two columns; and photos without text. A few pages are kept under
 * {@code target/ocr-pages/} to look at.
 */
public class OcrPagesTest {
    /** The built-in catalog's parameters for the default model (hub.core's builtin.yaml, {@code pp-ocrv4-v3rec}). */
    static final Map<String, Object> DEFAULT_PARAMETERS = Map.of("recHeight", 48, "binarizeThreshold", 0.3,
            "boxThreshold", 0.5, "unclipRatio", 1.5, "minSize", 3, "limitSideLen", 960, "dropScore", 0.5);
    private static LoadedModel model;
    private static TextReader reader;
    private static Map<String, List<TextPages.Page>> cases;

    @BeforeClass
    public static void open() throws Exception {
        model = OcrModels.paddle("v4", "v3", DEFAULT_PARAMETERS);
        reader = model.task(TextReader.class).orElseThrow();
        cases = OcrCases.all();
        Path keep = Path.of("target", "ocr-pages");
        for (List<TextPages.Page> pages : cases.values()) {
            OcrCases.keep(pages.get(pages.size() / 2), keep);
        }
    }

    @AfterClass
    public static void close() {
        if (model != null) {
            model.close();
        }
    }

    /** Reads every page of the case; each page must reach {@code pageFloor}; returns the case's total. */
    private static WordScore read(String caseName, double pageFloor) {
        WordScore total = WordScore.NONE;
        List<String> low = new ArrayList<>();
        for (TextPages.Page page : cases.get(caseName)) {
            List<String> got = OcrCases.read(reader, OcrCases.png(page));
            WordScore s = WordScore.of(page.lines(), got);
            total = total.plus(s);
            if (s.wordRate() < pageFloor) {
                low.add(page.name() + " " + s + ": " + got);
            }
        }
        System.out.println("default OCR, " + caseName + ": " + total);
        assertTrue("pages below " + pageFloor + ": " + low, low.isEmpty());
        return total;
    }

    @Test
    public void cleanTextKeepsItsWordsAndSpaces() {
        WordScore s = read("clean 12-32 px", 0.9);
        assertTrue(s.toString(), s.wordRate() >= 0.98);
        assertTrue(s.toString(), s.spaceRate() >= 0.95);
    }

    @Test
    public void tiltedNoisyShadedPagesAreRead() {
        WordScore s = read("tilted, noisy, shaded 16-32 px", 0.75);
        assertTrue(s.toString(), s.wordRate() >= 0.9);
        assertTrue(s.toString(), s.spaceRate() >= 0.9);
    }

    @Test
    public void twoColumnsAreReadColumnByColumn() {
        TextPages.Page page = cases.get("two columns").get(0);
        List<String> got = OcrCases.read(reader, OcrCases.png(page));
        assertEquals("one line per line, in reading order: " + got, page.lines().size(), got.size());
        for (int i = 0; i < got.size(); i++) {
            WordScore s = WordScore.of(List.of(page.lines().get(i)), List.of(got.get(i)));
            assertTrue(i + ": " + got.get(i) + " vs " + page.lines().get(i), s.wordRate() >= 0.8);
        }
        WordScore tilted = read("two columns", 0.85);
        assertTrue(tilted.toString(), tilted.wordRate() >= 0.9);
    }

    @Test
    public void photosWithoutTextHaveNoLines() throws Exception {
        Path images = Path.of(System.getProperty("hub.test.images", "../../shared/images"));
        assumeTrue("skipped: no test photos at " + images.toAbsolutePath() + " (../shared/images)", Files.isDirectory(images));
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(images)) {
            for (Path p : files.filter(f -> f.toString().matches(".*\\.(jpg|png)")).sorted().toList()) {
                List<String> got = OcrCases.read(reader, new ImageInput(p.getFileName().toString(), Files.readAllBytes(p)));
                if (!got.isEmpty()) {
                    found.add(p.getFileName() + ": " + got);
                }
            }
        }
        assertEquals("lines found on photos without text", List.of(), found);
    }
}
