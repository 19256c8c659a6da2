package hub.loader.face.internal;

import static hub.runtime.testing.Bench.line;
import static hub.runtime.testing.Bench.ratio;
import static hub.runtime.testing.Bench.ratioOf;
import static hub.runtime.testing.Bench.rest;
import static hub.runtime.testing.Bench.target;

import hub.api.task.Face;
import hub.api.task.ImageInput;
import hub.imaging.ImageDecoder;
import java.util.List;

/**
 * Face benchmark on YuNet (2023mar, 640) and the 512-d embedder over astronaut.png: detection alone, with its decode,
 * preparation, session run and post-processing measured in the same runs, and the whole detect + align + embed
 * pipeline, each beside the time its session runs took on the same inputs; the detection target (pipeline / session
 * &lt;= 1.20) beside its figure (run by hub.app/bench/bench-family faces).
 */
public final class FaceBenchmark {
    private FaceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        FaceTest.openModels();
        try {
            YuNetModel yunet = (YuNetModel) FaceTest.detectorModel;
            FaceEmbedModel embed = (FaceEmbedModel) FaceTest.embedderModel;
            ImageInput photo = FaceTest.photo("astronaut.png");
            for (int i = 0; i < 10; i++) {
                embed.embedFaces(photo, yunet.detectFaces(List.of(photo), Float.NaN).get(0).value());
            }
            long[] detect = new long[n];
            long[] detectSession = new long[n];
            long[] detectPre = new long[n];
            long[] decode = new long[n];
            long[] whole = new long[n];
            long[] wholeSession = new long[n];
            int faces = 0;
            for (int i = 0; i < n; i++) {
                // a fresh input each time, as from a new request: nothing decoded before is reused
                ImageInput first = new ImageInput(photo.name(), photo.data().clone());
                ImageInput second = new ImageInput(photo.name(), photo.data().clone());
                long before = yunet.sessionNanos.sum();
                long beforePre = yunet.preNanos.sum();
                long t = System.nanoTime();
                yunet.detectFaces(List.of(first), Float.NaN);
                detect[i] = System.nanoTime() - t;
                detectSession[i] = yunet.sessionNanos.sum() - before;
                detectPre[i] = yunet.preNanos.sum() - beforePre;
                t = System.nanoTime();
                ImageDecoder.decode(second);
                decode[i] = System.nanoTime() - t;

                before = yunet.sessionNanos.sum() + embed.sessionNanos.sum();
                t = System.nanoTime();
                List<Face> found = yunet.detectFaces(List.of(second), Float.NaN).get(0).value();
                embed.embedFaces(second, found);
                whole[i] = System.nanoTime() - t;
                wholeSession[i] = yunet.sessionNanos.sum() + embed.sessionNanos.sum() - before;
                faces = found.size();
            }
            System.out.printf("YuNet 640 + 512-d embedder on CPU, astronaut.png (512x512, %d face), %d runs, %d threads%n",
                    faces, n, Runtime.getRuntime().availableProcessors());
            line("decode (PNG)", decode);
            line("detection: preparation", detectPre);
            line("detection: session run", detectSession);
            line("detection: post (decode, NMS)", rest(detect, decode, detectPre, detectSession));
            line("detection pipeline", detect);
            ratio("ratio detection / session", detect, detectSession);
            line("detect + align + embed pipeline", whole);
            line("its session runs alone", wholeSession);
            ratio("ratio pipeline / session runs", whole, wholeSession);
            target("face detection pipeline / session", ratioOf(detect, detectSession), "x", 1.20);
        } finally {
            FaceTest.close();
        }
    }
}
