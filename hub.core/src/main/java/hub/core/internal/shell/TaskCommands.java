package hub.core.internal.shell;

import hub.core.annotate.Annotator;

import hub.api.access.Caller;
import hub.api.inference.FaceComparison;
import hub.api.inference.Inference;
import hub.api.inference.InferenceResult;
import hub.api.inference.Task;
import hub.api.inference.TaskOptions;
import hub.api.task.Classification;
import hub.api.task.Detection;
import hub.api.task.Face;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import hub.api.task.TextLine;
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
 * Task commands on images: {@code detect}, {@code classify}, {@code faces}, {@code ocr} (and the work of
 * {@code compare-faces}). They run through the hub's request path as the home's owner and render what it returns;
 * the model is the alias's, or {@code --model}.
 */
@Component(service = TaskCommands.class, immediate = true, property = {"osgi.command.scope=hub",
        "osgi.command.function=detect", "osgi.command.function=classify", "osgi.command.function=faces",
        "osgi.command.function=ocr"})
public class TaskCommands {
    private static final String ABSENT = "";
    private final Inference inference;

    /**
     * @param inference the request path
     */
    @Activate
    public TaskCommands(@Reference Inference inference) {
        this.inference = inference;
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
        TaskOptions options = TaskOptions.DEFAULT.withThreshold(threshold);
        List<ImageInput> inputs = read(session, images);
        InferenceResult<List<Detection>> result = inference.run(Caller.owner(), Task.DETECT, model, inputs, options);
        if (!out.isEmpty()) {
            annotate(session, out, inputs, result.results());
        }
        if (json) {
            return Json.write(result);
        }
        List<List<String>> rows = new ArrayList<>();
        for (ImageResult<List<Detection>> r : result.results()) {
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
        return result.model() + "\n" + Format.table(List.of("IMAGE", "LABEL", "SCORE", "X", "Y", "W", "H"), rows);
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
        InferenceResult<List<Classification>> result = inference.run(Caller.owner(), Task.CLASSIFY, model,
                read(session, images), TaskOptions.DEFAULT.withTop(top));
        if (json) {
            return Json.write(result);
        }
        List<List<String>> rows = new ArrayList<>();
        for (ImageResult<List<Classification>> r : result.results()) {
            if (r.error() != null) {
                rows.add(List.of(r.source(), "error: " + r.error(), "", ""));
                continue;
            }
            for (Classification c : r.value()) {
                rows.add(List.of(r.source(), c.label(), String.valueOf(c.index()),
                        String.format(Locale.ROOT, "%.4f", c.probability())));
            }
        }
        return result.model() + "\n" + Format.table(List.of("IMAGE", "LABEL", "INDEX", "PROBABILITY"), rows);
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
        InferenceResult<List<Face>> result = inference.run(Caller.owner(), Task.FACES, model, inputs,
                TaskOptions.DEFAULT);
        if (!out.isEmpty()) {
            annotate(session, out, inputs, boxes(result.results(), Annotator::faces));
        }
        if (json) {
            return Json.write(result);
        }
        List<List<String>> rows = new ArrayList<>();
        for (ImageResult<List<Face>> r : result.results()) {
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
        return result.model() + "\n" + Format.table(List.of("IMAGE", "SCORE", "X", "Y", "W", "H"), rows);
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
        FaceComparison c = inference.compareFaces(Caller.owner(), detector, embedder, inputs.get(0), inputs.get(1),
                threshold);
        if (json) {
            return Json.write(c);
        }
        return String.format(Locale.ROOT, "similarity %.3f (threshold %.3f): %s", c.similarity(), c.threshold(),
                c.samePerson() ? "same person" : "different people");
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
        InferenceResult<List<TextLine>> result = inference.run(Caller.owner(), Task.OCR, model, inputs,
                TaskOptions.DEFAULT);
        if (!out.isEmpty()) {
            annotate(session, out, inputs, boxes(result.results(), Annotator::lines));
        }
        if (json) {
            return Json.write(result);
        }
        StringBuilder b = new StringBuilder(result.model().toString());
        for (ImageResult<List<TextLine>> r : result.results()) {
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
