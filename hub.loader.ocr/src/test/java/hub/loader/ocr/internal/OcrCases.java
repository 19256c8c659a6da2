package hub.loader.ocr.internal;

import hub.api.task.ImageInput;
import hub.api.task.TextLine;
import hub.api.task.TextReader;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The accuracy cases the OCR tests and the accuracy benchmark share: clean level text in three fonts at 12-32 px,
 * tilted (-10..+10 degrees) blurred, unevenly lit, noisy pages at 16-32 px, and two-column pages.
 */
final class OcrCases {
    static final List<String> FONTS = List.of(Font.SANS_SERIF, Font.SERIF, Font.MONOSPACED);

    private OcrCases() {
    }

    /** @return the cases by name, each its pages */
    static Map<String, List<TextPages.Page>> all() {
        Map<String, List<TextPages.Page>> cases = new LinkedHashMap<>();
        List<TextPages.Page> clean = new ArrayList<>();
        int seed = 1;
        for (String font : FONTS) {
            for (int size : List.of(12, 14, 16, 18, 20, 24, 28, 32)) {
                clean.add(TextPages.page("clean " + font + " " + size, seed++, font, size, 3, 1, 0, false));
            }
        }
        cases.put("clean 12-32 px", clean);
        List<TextPages.Page> tilted = new ArrayList<>();
        int[] sizes = {16, 20, 24, 32, 18, 22, 28, 26, 16, 30, 17, 19, 21, 23, 25, 27};
        double[] angles = {-10, -6, -3, 3, 6, 10, -8, 8, 2, -1, 9, -9, 5, -5, -2, 1};
        for (int i = 0; i < sizes.length; i++) {
            String font = FONTS.get(i % FONTS.size());
            tilted.add(TextPages.page("tilted " + font + " " + sizes[i] + " " + angles[i] + " deg", 100 + i, font,
                    sizes[i], 4, 1, angles[i], true));
        }
        cases.put("tilted, noisy, shaded 16-32 px", tilted);
        cases.put("two columns", List.of(
                TextPages.page("columns 18", 200, Font.SANS_SERIF, 18, 4, 2, 0, false),
                TextPages.page("columns 24 tilted", 201, Font.SERIF, 24, 4, 2, 3, true)));
        return cases;
    }

    static ImageInput png(TextPages.Page page) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(page.image(), "png", out);
            return new ImageInput(page.name(), out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the page's lines as read, or the error it got */
    static List<String> read(TextReader reader, ImageInput in) {
        var r = reader.read(List.of(in)).get(0);
        if (r.error() != null) {
            throw new IllegalStateException(in.name() + ": " + r.error());
        }
        return r.value().stream().map(TextLine::text).toList();
    }

    /** Writes the page as a PNG into {@code dir} (the test's artifacts). */
    static void keep(TextPages.Page page, Path dir) throws IOException {
        Files.createDirectories(dir);
        ImageIO.write(page.image(), "png", dir.resolve(page.name().replaceAll("[^A-Za-z0-9.-]+", "_") + ".png").toFile());
    }
}
