package hub.core.internal.shell;

import hub.core.annotate.Annotator;

import hub.api.Device;
import hub.api.ModelHub;
import hub.api.ModelLease;
import hub.api.ModelRef;
import hub.api.task.Classification;
import hub.api.task.Classifier;
import hub.api.task.Detection;
import hub.api.task.Embedding;
import hub.api.task.Face;
import hub.api.task.FaceDetector;
import hub.api.task.FaceEmbedder;
import hub.api.task.DetectionOptions;
import hub.api.task.Detector;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import hub.api.task.TextLine;
import hub.api.task.TextReader;
import hub.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Task commands on images: {@code detect}, {@code classify}, {@code faces}, {@code compare-faces}. The model is the
 * alias's, or {@code --model}.
 */
@Component(service = TaskCommands.class, immediate = true, property = {"osgi.command.scope=hub",
        "osgi.command.function=detect", "osgi.command.function=classify", "osgi.command.function=faces",
        "osgi.command.function=ocr"})
public class TaskCommands {
    private static final String ABSENT = "";
    private final ModelHub hub;

    /**
     * @param hub the facade
     */
    @Activate
    public TaskCommands(@Reference ModelHub hub) {
        this.hub = hub;
    }

    /**
     * @param session working directory
     * @param model catalog reference instead of the detector alias
     * @param threshold minimum confidence
     * @param out annotated PNG (a directory when several images are given)
     * @param json JSON output
     * @param images image files
     * @return detections per image
     * @throws IOException when an image cannot be read or the output written
     */
    @Descriptor("detect objects in images (model: the 'detector' alias, or --model)")
    public String detect(CommandSession session,
            @Descriptor("model NAME[@VERSION]") @Parameter(names = {"-m", "--model"}, absentValue = ABSENT) String model,
            @Descriptor("confidence threshold 0..1") @Parameter(names = {"-t", "--threshold"}, absentValue = "NaN") float threshold,
            @Descriptor("write the image with the boxes drawn (PNG)") @Parameter(names = {"-o", "--out"}, absentValue = ABSENT) String out,
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("image files") String... images) throws IOException {
        if (images.length == 0) {
            throw new IllegalArgumentException("detect needs at least one image file");
        }
        if (!Float.isNaN(threshold) && (threshold < 0 || threshold > 1)) {
            throw new IllegalArgumentException("threshold " + threshold + " out of range 0..1");
        }
        List<ImageInput> inputs = read(session, images);
        try (ModelLease lease = lease("detector", model)) {
            List<ImageResult<List<Detection>>> results = lease.require(Detector.class)
                    .detect(inputs, new DetectionOptions(threshold, Float.NaN, 0));
            if (!out.isEmpty()) {
                annotate(session, out, inputs, results);
            }
            requireOneRead(results);
            if (json) {
                return json(lease, results);
            }
            List<List<String>> rows = new ArrayList<>();
            for (ImageResult<List<Detection>> r : results) {
                if (r.error() != null) {
                    rows.add(List.of(r.source(), "error: " + r.error(), "", "", "", "", ""));
                    continue;
                }
                for (Detection d : r.value()) {
                    rows.add(List.of(r.source(), d.label(), String.format(Locale.ROOT, "%.2f", d.score()),
                            String.valueOf(Math.round(d.box().x())), String.valueOf(Math.round(d.box().y())),
                            String.valueOf(Math.round(d.box().width())), String.valueOf(Math.round(d.box().height()))));
                }
            }
            return lease.descriptor().ref() + "\n" + Format.table(List.of("IMAGE", "LABEL", "SCORE", "X", "Y", "W", "H"), rows);
        }
    }

    /**
     * @param session working directory
     * @param model catalog reference instead of the classifier alias
     * @param top how many classes per image
     * @param json JSON output
     * @param images image files
     * @return the top classes per image
     * @throws IOException when an image cannot be read
     */
    @Descriptor("classify images (model: the 'classifier' alias, or --model)")
    public String classify(CommandSession session,
            @Descriptor("model NAME[@VERSION]") @Parameter(names = {"-m", "--model"}, absentValue = ABSENT) String model,
            @Descriptor("classes per image") @Parameter(names = {"-k", "--top"}, absentValue = "5") int top,
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("image files") String... images) throws IOException {
        if (images.length == 0) {
            throw new IllegalArgumentException("classify needs at least one image file");
        }
        if (top < 1) {
            throw new IllegalArgumentException("--top must be at least 1, got " + top);
        }
        List<ImageInput> inputs = read(session, images);
        try (ModelLease lease = lease("classifier", model)) {
            List<ImageResult<List<Classification>>> results = lease.require(Classifier.class).classify(inputs, top);
            requireOneRead(results);
            if (json) {
                return json(lease, results);
            }
            List<List<String>> rows = new ArrayList<>();
            for (ImageResult<List<Classification>> r : results) {
                if (r.error() != null) {
                    rows.add(List.of(r.source(), "error: " + r.error(), "", ""));
                    continue;
                }
                for (Classification c : r.value()) {
                    rows.add(List.of(r.source(), c.label(), String.valueOf(c.index()),
                            String.format(Locale.ROOT, "%.4f", c.probability())));
                }
            }
            return lease.descriptor().ref() + "\n" + Format.table(List.of("IMAGE", "LABEL", "INDEX", "PROBABILITY"), rows);
        }
    }

    /**
     * @param session working directory
     * @param model face detector instead of the face alias
     * @param out annotated PNG
     * @param json JSON output
     * @param images image files
     * @return faces per image
     * @throws IOException when an image cannot be read
     */
    @Descriptor("find faces and their five landmarks (model: the 'face' alias, or --model)")
    public String faces(CommandSession session,
            @Descriptor("face detector NAME[@VERSION]") @Parameter(names = {"-m", "--model"}, absentValue = ABSENT) String model,
            @Descriptor("write the image with the faces drawn (PNG)") @Parameter(names = {"-o", "--out"}, absentValue = ABSENT) String out,
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("image files") String... images) throws IOException {
        if (images.length == 0) {
            throw new IllegalArgumentException("faces needs at least one image file");
        }
        List<ImageInput> inputs = read(session, images);
        try (ModelLease lease = faceDetector(model)) {
            List<ImageResult<List<Face>>> results = lease.require(FaceDetector.class).detectFaces(inputs, Float.NaN);
            requireOneRead(results);
            if (!out.isEmpty()) {
                annotate(session, out, inputs, boxes(results, Annotator::faces));
            }
            if (json) {
                return json(lease, results);
            }
            List<List<String>> rows = new ArrayList<>();
            for (ImageResult<List<Face>> r : results) {
                if (r.error() != null) {
                    rows.add(List.of(r.source(), "error: " + r.error(), "", "", "", ""));
                    continue;
                }
                for (Face f : r.value()) {
                    rows.add(List.of(r.source(), String.format(Locale.ROOT, "%.2f", f.score()),
                            String.valueOf(Math.round(f.box().x())), String.valueOf(Math.round(f.box().y())),
                            String.valueOf(Math.round(f.box().width())), String.valueOf(Math.round(f.box().height()))));
                }
            }
            return lease.descriptor().ref() + "\n" + Format.table(List.of("IMAGE", "SCORE", "X", "Y", "W", "H"), rows);
        }
    }

    /**
     * Compares the most confident face of two images (the {@code compare-faces} command; see {@link CompareFaces}).
     *
     * @param session working directory
     * @param detector face detector instead of the face alias, or empty
     * @param embedder face recognition model
     * @param threshold same-person threshold, NaN for the model's
     * @param json JSON output
     * @param a first image
     * @param b second image
     * @return the similarity and the verdict
     * @throws IOException when an image cannot be read
     */
    String compareFaces(CommandSession session, String detector, String embedder, float threshold, boolean json,
            String a, String b) throws IOException {
        List<ImageInput> inputs = read(session, a, b);
        try (ModelLease det = faceDetector(detector); ModelLease emb = hub.load(ModelRef.parse(embedder), Device.AUTO)) {
            FaceEmbedder embed = emb.require(FaceEmbedder.class);
            List<Embedding> vectors = new ArrayList<>();
            for (ImageResult<List<Face>> r : det.require(FaceDetector.class).detectFaces(inputs, Float.NaN)) {
                if (r.error() != null) {
                    throw new IllegalArgumentException(r.source() + ": " + r.error());
                }
                if (r.value().isEmpty()) {
                    throw new IllegalArgumentException(r.source() + ": no face found");
                }
                ImageInput in = inputs.get(vectors.size());
                vectors.add(embed.embedFaces(in, List.of(r.value().get(0))).get(0));
            }
            float similarity = vectors.get(0).cosine(vectors.get(1));
            boolean same = embed.verify(vectors.get(0), vectors.get(1), threshold);
            float t = Float.isNaN(threshold) ? embed.defaultThreshold() : threshold;
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("detector", det.descriptor().ref());
                doc.put("embedder", emb.descriptor().ref());
                doc.put("similarity", similarity);
                doc.put("threshold", t);
                doc.put("samePerson", same);
                return Json.write(doc);
            }
            return String.format(Locale.ROOT, "similarity %.3f (threshold %.3f): %s", similarity, t,
                    same ? "same person" : "different people");
        }
    }

    /**
     * @param session working directory
     * @param model OCR model instead of the ocr alias
     * @param out annotated PNG (a directory when several images are given)
     * @param json JSON output
     * @param images image files
     * @return lines per image, in reading order
     * @throws IOException when an image cannot be read
     */
    @Descriptor("read text in images (model: the 'ocr' alias, or --model)")
    public String ocr(CommandSession session,
            @Descriptor("model NAME[@VERSION]") @Parameter(names = {"-m", "--model"}, absentValue = ABSENT) String model,
            @Descriptor("write the image with the lines and their text drawn (PNG)") @Parameter(names = {"-o", "--out"}, absentValue = ABSENT) String out,
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("image files") String... images) throws IOException {
        if (images.length == 0) {
            throw new IllegalArgumentException("ocr needs at least one image file");
        }
        List<ImageInput> inputs = read(session, images);
        try (ModelLease lease = lease("ocr", model)) {
            List<ImageResult<List<TextLine>>> results = lease.require(TextReader.class).read(inputs);
            requireOneRead(results);
            if (!out.isEmpty()) {
                annotate(session, out, inputs, boxes(results, Annotator::lines));
            }
            if (json) {
                return json(lease, results);
            }
            StringBuilder b = new StringBuilder(lease.descriptor().ref().toString());
            for (ImageResult<List<TextLine>> r : results) {
                b.append('\n').append(r.source()).append(':');
                if (r.error() != null) {
                    b.append(" error: ").append(r.error());
                    continue;
                }
                for (TextLine l : r.value()) {
                    b.append(String.format(Locale.ROOT, "%n  %s  (%.2f)", l.text(), l.confidence()));
                }
            }
            return b.toString();
        }
    }

    private ModelLease lease(String alias, String model) {
        return model.isEmpty() ? hub.lease(alias, Device.AUTO) : hub.load(ModelRef.parse(model), Device.AUTO);
    }

    /** A batch where no image could be read is a failed command; otherwise bad images show as their own rows. */
    private static void requireOneRead(List<? extends ImageResult<?>> results) {
        if (results.stream().allMatch(r -> r.error() != null)) {
            throw new IllegalArgumentException(results.size() == 1 ? results.get(0).source() + ": "
                    + results.get(0).error() : "no image could be read: " + results.get(0).error());
        }
    }

    private static String json(ModelLease lease, Object results) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", lease.descriptor().ref());
        doc.put("results", results);
        return Json.write(doc);
    }

    private ModelLease faceDetector(String model) {
        if (!model.isEmpty()) {
            return hub.load(ModelRef.parse(model), Device.AUTO);
        }
        return hub.aliases().containsKey("face") ? hub.lease("face", Device.AUTO)
                : hub.load(ModelRef.parse("yunet"), Device.AUTO);
    }

    /** Results of another task as labelled boxes for the annotator, errors kept. */
    private static <T> List<ImageResult<List<Detection>>> boxes(List<ImageResult<T>> results,
            java.util.function.Function<T, List<Detection>> asBoxes) {
        return results.stream().map(r -> r.error() != null ? ImageResult.<List<Detection>>failed(r.source(), r.error())
                : ImageResult.ok(r.source(), asBoxes.apply(r.value()))).toList();
    }

    private static void annotate(CommandSession session, String out, List<ImageInput> inputs,
            List<ImageResult<List<Detection>>> results) throws IOException {
        Path target = path(session, out);
        boolean many = inputs.size() > 1;
        if (many) {
            Files.createDirectories(target);
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (results.get(i).error() != null) {
                continue;
            }
            String base = Path.of(inputs.get(i).name()).getFileName().toString().replaceFirst("\\.[^.]+$", "");
            Annotator.detections(inputs.get(i).data(), results.get(i).value(),
                    many ? target.resolve(base + "-detections.png") : target);
        }
    }

    static List<ImageInput> read(CommandSession session, String... files) throws IOException {
        List<ImageInput> out = new ArrayList<>();
        for (String f : files) {
            Path p = path(session, f);
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("no such image file: " + f);
            }
            out.add(new ImageInput(f, Files.readAllBytes(p)));
        }
        return out;
    }

    static Path path(CommandSession session, String file) {
        Path p = Path.of(file);
        Object cwd = session == null ? null : session.currentDir();
        return p.isAbsolute() || !(cwd instanceof Path dir) ? p.toAbsolutePath() : dir.resolve(p);
    }
}
