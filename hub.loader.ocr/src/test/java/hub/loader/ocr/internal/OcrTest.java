package hub.loader.ocr.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import hub.api.spi.LoadedModel;
import hub.api.task.ImageInput;
import hub.api.task.TextLine;
import hub.api.task.TextReader;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The default OCR model (PP-OCRv4 detector, PP-OCRv3 recogniser, from the Maven Central jar, a test dependency) reading
 * text drawn with java.awt.
 */
public class OcrTest {
    static LoadedModel model;
    private static TextReader reader;

    @BeforeClass
    public static void open() throws Exception {
        model = OcrModels.paddle("v4", "v3", OcrPagesTest.DEFAULT_PARAMETERS);
        reader = model.task(TextReader.class).orElseThrow();
    }

    @AfterClass
    public static void close() {
        if (model != null) {
            model.close();
        }
    }

    static ImageInput text(String name, int width, int height, Object... fontSizeTextY) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        for (int i = 0; i < fontSizeTextY.length; i += 4) {
            g.setFont(new Font((String) fontSizeTextY[i], Font.PLAIN, (Integer) fontSizeTextY[i + 1]));
            g.drawString((String) fontSizeTextY[i + 2], 20, (Integer) fontSizeTextY[i + 3]);
        }
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        return new ImageInput(name, png.toByteArray());
    }

    private static List<String> read(ImageInput in) {
        return reader.read(List.of(in)).get(0).value().stream().map(TextLine::text).toList();
    }

    @Test
    public void textInSeveralFontsAndSizesIsReadBack() throws Exception {
        int exact = 0;
        int charactersRight = 0;
        List<String> misses = new java.util.ArrayList<>();
        for (String font : List.of(Font.SANS_SERIF, Font.SERIF, Font.MONOSPACED)) {
            for (int size : List.of(24, 30, 36, 44)) {
                for (String t : List.of("Hello World 2026", "Vision Model Hub", "OSGi bundles 123")) {
                    List<String> got = read(text(font + size, 40 + size * t.length() * 2 / 3, size * 2, font, size, t,
                            size * 3 / 2));
                    assertEquals(font + " " + size + ": " + got, 1, got.size());
                    if (t.replaceAll("[ ,.]", "").equals(got.get(0).replaceAll("[ ,.]", ""))) {
                        charactersRight++;
                    }
                    if (got.get(0).equals(t)) {
                        exact++;
                    } else {
                        misses.add(font + " " + size + " '" + got.get(0) + "'");
                    }
                }
            }
        }
        // measured: 35 of 36 exact ('world' for 'World' in monospaced 44 px); PP-OCRv4's own recogniser read 25 (it
        // drops narrow spaces: 'HelloWorld 2026'), the reason the default pairs the v4 detector with the v3 recogniser
        System.out.println("PP-OCRv4 det + v3 rec read " + exact + "/36 rendered lines exactly, " + charactersRight
                + " with every character right; misses: " + misses);
        assertTrue("every character right in " + charactersRight + "/36, misses " + misses, charactersRight >= 35);
        assertTrue("exact " + exact + "/36, misses " + misses, exact >= 32);
    }

    @Test
    public void linesComeInReadingOrderWithTheirPlaces() throws Exception {
        ImageInput page = text("page", 600, 260, Font.SANS_SERIF, 32, "first line of text", 50,
                Font.SANS_SERIF, 32, "second line here", 130, Font.SANS_SERIF, 32, "third and last", 210);
        List<TextLine> lines = reader.read(List.of(page)).get(0).value();
        assertEquals(List.of("first line of text", "second line here", "third and last"),
                lines.stream().map(TextLine::text).toList());
        assertTrue(lines.get(0).polygon().get(0).y() < lines.get(1).polygon().get(0).y());
        assertTrue(lines.get(0).confidence() > 0.8f);
    }

    @Test
    public void anImageWithNoTextHasNoLinesAndABadImageItsOwnError() throws Exception {
        assertEquals(List.of(), read(text("blank", 400, 200)));
        var r = reader.read(List.of(new ImageInput("junk", new byte[] {1, 2, 3})));
        assertTrue(r.get(0).error(), r.get(0).error().startsWith("not an image"));
    }
}
