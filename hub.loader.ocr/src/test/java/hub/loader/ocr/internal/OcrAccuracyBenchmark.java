package hub.loader.ocr.internal;

import hub.api.spi.LoadedModel;
import hub.api.task.ImageInput;
import hub.api.task.TextReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * OCR accuracy benchmark: per engine and per case, the words read right, the spaces kept and the time per page beside
 * the session runs alone; then lines found on photos without text (../shared/images). Engines: {@code v4} (PP-OCRv4
 * detector and recogniser), {@code v3}, {@code v4+v3} (v4 detector, v3 recogniser), {@code tesseract}. Run by
 * {@code hub.app/bench/bench-family ocr-accuracy [engines]}.
 */
public final class OcrAccuracyBenchmark {
    private OcrAccuracyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> engines = args.length > 0 && !args[0].matches("\\d+") ? List.of(args[0].split(","))
                : List.of("v4", "v3", "v4+v3", "tesseract");
        var cases = OcrCases.all();
        List<Path> photos = new ArrayList<>();
        Path images = Path.of(System.getProperty("hub.test.images", "../shared/images"));
        if (Files.isDirectory(images)) {
            try (Stream<Path> s = Files.list(images)) {
                s.filter(p -> p.toString().matches(".*\\.(jpg|png)")).sorted().forEach(photos::add);
            }
        }
        System.out.printf("OCR accuracy on generated pages (%d threads available)%n",
                Runtime.getRuntime().availableProcessors());
        for (String engine : engines) {
            LoadedModel model;
            try {
                model = open(engine);
            } catch (Exception | LinkageError e) {
                System.out.println(engine + ": skipped, " + e.getMessage());
                continue;
            }
            try {
                TextReader reader = model.task(TextReader.class).orElseThrow();
                PaddleOcrModel paddle = model instanceof PaddleOcrModel p ? p : null;
                for (var c : cases.entrySet()) {
                    if (!System.getProperty("ocr.cases", c.getKey()).contains(c.getKey().substring(0, 5))) {
                        continue;
                    }
                    WordScore total = WordScore.NONE;
                    long nanos = 0;
                    long session = 0;
                    List<String> worst = new ArrayList<>();
                    for (TextPages.Page page : c.getValue()) {
                        ImageInput in = OcrCases.png(page);
                        long s0 = paddle == null ? 0 : paddle.sessionNanos.sum();
                        long t0 = System.nanoTime();
                        List<String> got = OcrCases.read(reader, in);
                        nanos += System.nanoTime() - t0;
                        session += paddle == null ? 0 : paddle.sessionNanos.sum() - s0;
                        WordScore s = WordScore.of(page.lines(), got);
                        total = total.plus(s);
                        if (s.wordRate() < 0.9 || Boolean.getBoolean("ocr.verbose")) {
                            worst.add(page.name() + String.format(" %.0f %%", 100 * s.wordRate())
                                    + (Boolean.getBoolean("ocr.verbose") ? " " + got : ""));
                        }
                    }
                    int n = c.getValue().size();
                    System.out.printf("%-9s %-31s %s; %6.1f ms/page%s%n", engine, c.getKey(), total,
                            nanos / 1e6 / n, paddle == null ? "" : String.format(" (session runs %.1f)", session / 1e6 / n));
                    if (!worst.isEmpty()) {
                        System.out.println("          below 90 %: " + worst);
                    }
                }
                int found = 0;
                List<String> where = new ArrayList<>();
                for (Path p : photos) {
                    List<String> got = OcrCases.read(reader, new ImageInput(p.getFileName().toString(), Files.readAllBytes(p)));
                    found += got.size();
                    if (!got.isEmpty()) {
                        where.add(p.getFileName() + " " + got);
                    }
                }
                System.out.printf("%-9s %-31s %d lines found on %d photos%s%n", engine, "photos without text", found,
                        photos.size(), where.isEmpty() ? "" : ": " + where);
            } finally {
                model.close();
            }
        }
    }

    /** Descriptor parameters from {@code -Docr.parameters=name=value,...} (numbers), to try settings. */
    static Map<String, Object> parameters() {
        Map<String, Object> p = new java.util.HashMap<>();
        for (String kv : System.getProperty("ocr.parameters", "").split(",")) {
            if (kv.contains("=")) {
                String v = kv.substring(kv.indexOf('=') + 1);
                p.put(kv.substring(0, kv.indexOf('=')), v.matches("-?[0-9.]+") ? (Object) Double.valueOf(v) : v);
            }
        }
        return p;
    }

    static LoadedModel open(String engine) throws Exception {
        Map<String, Object> p = parameters();
        return switch (engine) {
            case "v4" -> OcrModels.paddle("v4", "v4", p);
            case "v3" -> OcrModels.paddle("v3", "v3", p);
            case "v4+v3" -> OcrModels.paddle("v4", "v3", p);
            case "v3+v4" -> OcrModels.paddle("v3", "v4", p);
            case "tesseract" -> OcrModels.tesseract(p);
            default -> throw new IllegalArgumentException("unknown engine '" + engine + "' (v4, v3, v4+v3, v3+v4, tesseract)");
        };
    }
}
