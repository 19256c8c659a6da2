package hub.loader.ocr.internal;

import static hub.runtime.testing.Bench.line;
import static hub.runtime.testing.Bench.ratio;

import hub.api.task.ImageInput;
import hub.api.task.TextReader;
import java.awt.Font;
import java.util.List;

/**
 * OCR benchmark on PP-OCRv4 (det + orientation + rec, from the Maven Central jar) over a rendered three-line page:
 * the whole pipeline (decode, DB detection and its post-processing, crops, orientation, batched recognition, CTC) beside
 * the time its session runs took on the same inputs (run by hub.app/bench/bench-family ocr).
 */
public final class OcrBenchmark {
    private OcrBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        OcrTest.open();
        try {
            PaddleOcrModel m = (PaddleOcrModel) OcrTest.model;
            TextReader reader = m;
            ImageInput page = OcrTest.text("page", 600, 260, Font.SANS_SERIF, 32, "first line of text", 50,
                    Font.SANS_SERIF, 32, "second line here", 130, Font.SANS_SERIF, 32, "third and last", 210);
            for (int i = 0; i < 10; i++) {
                reader.read(List.of(page));
            }
            long[] whole = new long[n];
            long[] session = new long[n];
            for (int i = 0; i < n; i++) {
                long before = m.sessionNanos.sum();
                long t = System.nanoTime();
                reader.read(List.of(page));
                whole[i] = System.nanoTime() - t;
                session[i] = m.sessionNanos.sum() - before;
            }
            System.out.printf("PP-OCRv4 (det + cls + rec) on CPU, a 600x260 page of 3 lines, %d runs, %d threads available%n",
                    n, Runtime.getRuntime().availableProcessors());
            line("whole pipeline", whole);
            line("session runs alone (det+cls+rec)", session);
            ratio("ratio pipeline / session runs", whole, session);
        } finally {
            OcrTest.close();
        }
    }
}
