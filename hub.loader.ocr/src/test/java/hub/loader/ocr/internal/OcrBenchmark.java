package hub.loader.ocr.internal;

import static hub.runtime.testing.Bench.line;
import static hub.runtime.testing.Bench.ratio;
import static hub.runtime.testing.Bench.ratioOf;
import static hub.runtime.testing.Bench.rest;
import static hub.runtime.testing.Bench.target;

import hub.api.task.ImageInput;
import hub.imaging.ImageDecoder;
import java.awt.Font;
import java.util.List;

/**
 * OCR benchmark on the default model (PP-OCRv4 det + orientation + PP-OCRv3 rec, from the Maven Central jar) over a rendered three-line page:
 * in the same runs, the decode, the input preparation (detector input, line crops for orientation and recognition),
 * the session runs, and the rest (DB post-processing, CTC, ordering), beside the whole pipeline; the target (pipeline
 * / session runs &lt;= 1.15) beside its figure (run by hub.app/bench/bench-family ocr).
 */
public final class OcrBenchmark {
    private OcrBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        OcrTest.open();
        try {
            PaddleOcrModel m = (PaddleOcrModel) OcrTest.model;
            ImageInput page = OcrTest.text("page", 600, 260, Font.SANS_SERIF, 32, "first line of text", 50,
                    Font.SANS_SERIF, 32, "second line here", 130, Font.SANS_SERIF, 32, "third and last", 210);
            for (int i = 0; i < 10; i++) {
                m.read(List.of(page));
            }
            long[] whole = new long[n];
            long[] decode = new long[n];
            long[] pre = new long[n];
            long[] session = new long[n];
            for (int i = 0; i < n; i++) {
                long before = m.sessionNanos.sum();
                long beforePre = m.preNanos.sum();
                long t = System.nanoTime();
                m.read(List.of(page));
                whole[i] = System.nanoTime() - t;
                session[i] = m.sessionNanos.sum() - before;
                pre[i] = m.preNanos.sum() - beforePre;
                t = System.nanoTime();
                ImageDecoder.decode(page);
                decode[i] = System.nanoTime() - t;
            }
            System.out.printf("PP-OCRv4 det + cls + PP-OCRv3 rec on CPU, a 600x260 PNG page of 3 lines, %d runs, %d threads available%n",
                    n, Runtime.getRuntime().availableProcessors());
            line("decode (PNG)", decode);
            line("preparation (det + line crops)", pre);
            line("session runs (det + cls + rec)", session);
            line("post (DB boxes, CTC, order)", rest(whole, decode, pre, session));
            line("whole pipeline", whole);
            ratio("ratio pipeline / session runs", whole, session);
            target("OCR pipeline / session runs", ratioOf(whole, session), "x", 1.15);
        } finally {
            OcrTest.close();
        }
    }
}
