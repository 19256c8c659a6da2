package hub.shell.internal.commands;

import hub.api.inference.FaceComparison;
import hub.api.inference.InferenceResult;
import hub.api.inference.Task;
import hub.api.inference.TaskOptions;
import hub.api.task.Classification;
import hub.api.task.Detection;
import hub.api.task.Face;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import hub.api.task.TextLine;
import hub.core.annotate.Annotator;
import hub.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Task commands on images. They run through the hub's one request path as the home's owner and render what it
 * returns; the model is the alias's, or {@code --model}.
 */
final class TaskCommands {
    private TaskCommands() {
    }

    /** A task command: images, model, JSON; failed images are counted on stderr. */
    abstract static class TaskCmd extends JsonCmd {
        @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "image files (JPEG, PNG, BMP, GIF)")
        List<Path> images;
        @Option(names = {"-m", "--model"}, paramLabel = "NAME[@VERSION]", completionCandidates = Candidates.Models.class,
                description = "the model (default: the alias's)")
        String model;

        TaskCmd(Ctx ctx) {
            super(ctx);
        }

        /** Says on stderr how many images of a batch failed (each has its own error line in the output). */
        <T> void failures(InferenceResult<T> r) {
            long failed = r.results().stream().filter(x -> x.error() != null).count();
            if (failed > 0) {
                session.err().println("hub: " + failed + " of " + r.results().size() + " images failed");
            }
        }

        /** Draws the results (labelled boxes) onto each image and says where. */
        void annotate(String out, List<ImageInput> inputs, List<ImageResult<List<Annotator.Mark>>> results, String suffix,
                Annotator.Style style) throws IOException {
            Path target = session.path(out);
            boolean many = inputs.size() > 1;
            if (many) {
                Files.createDirectories(target);
            }
            for (int i = 0; i < inputs.size(); i++) {
                if (results.get(i).error() != null) {
                    continue;
                }
                String base = Path.of(inputs.get(i).name()).getFileName().toString().replaceFirst("\\.[^.]+$", "");
                Path file = many ? target.resolve(base + "-" + suffix + ".png") : target;
                Annotator.write(inputs.get(i).data(), results.get(i).value(), style, file);
                session.err().println("wrote " + file);
            }
        }
    }

    @Command(name = "detect", description = "Find objects in images (model: the 'detector' alias, or --model).")
    static final class Detect extends TaskCmd {
        @Option(names = {"-t", "--threshold"}, paramLabel = "T", description = "minimum confidence, 0..1 (default: the model's)")
        Float threshold;
        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "write the image with the boxes drawn (PNG; a directory for several images)")
        String out;

        Detect(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() throws IOException {
            if (threshold != null && (threshold < 0 || threshold > 1)) {
                throw new IllegalArgumentException("--threshold wants a number from 0 to 1, not " + threshold);
            }
            List<ImageInput> inputs = read(images);
            InferenceResult<List<Detection>> result = progress(() -> s.inference().get().run(caller(), Task.DETECT,
                    model, inputs,
                    TaskOptions.DEFAULT.withThreshold(threshold == null ? Float.NaN : threshold)));
            if (out != null) {
                annotate(out, inputs, marks(result.results(), Annotator::detections), "detections", Annotator.Style.BOXES);
            }
            failures(result);
            if (json) {
                return Json.write(result);
            }
            List<List<String>> rows = new ArrayList<>();
            for (ImageResult<List<Detection>> r : result.results()) {
                if (r.error() != null) {
                    rows.add(List.of(r.source(), "error: " + r.error(), "", "", "", "", ""));
                    continue;
                }
                if (r.value().isEmpty()) {
                    rows.add(List.of(r.source(), "(no objects found)", "", "", "", "", ""));
                }
                for (Detection d : r.value()) {
                    rows.add(List.of(r.source(), d.label(), String.format(Locale.ROOT, "%.2f", d.score()),
                            String.valueOf(Math.round(d.box().x())), String.valueOf(Math.round(d.box().y())),
                            String.valueOf(Math.round(d.box().width())), String.valueOf(Math.round(d.box().height()))));
                }
            }
            return result.model() + "\n" + Format.table(List.of("IMAGE", "LABEL", "SCORE", "X", "Y", "W", "H"), rows);
        }
    }

    @Command(name = "classify", description = "Top classes per image (model: the 'classifier' alias, or --model).")
    static final class Classify extends TaskCmd {
        @Option(names = {"-k", "--top"}, paramLabel = "K", defaultValue = "5", description = "classes per image (default: ${DEFAULT-VALUE})")
        int top;

        Classify(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() throws IOException {
            if (top < 1) {
                throw new IllegalArgumentException("--top wants at least 1, not " + top);
            }
            List<ImageInput> inputs = read(images);
            InferenceResult<List<Classification>> result = progress(() -> s.inference().get().run(caller(),
                    Task.CLASSIFY, model, inputs, TaskOptions.DEFAULT.withTop(top)));
            failures(result);
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
    }

    @Command(name = "faces", description = "Faces with score and five landmarks (model: the 'face' alias, else yunet).")
    static final class Faces extends TaskCmd {
        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "write the image with faces and landmarks drawn (PNG)")
        String out;

        Faces(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() throws IOException {
            List<ImageInput> inputs = read(images);
            InferenceResult<List<Face>> result = progress(() -> s.inference().get().run(caller(), Task.FACES,
                    model, inputs,
                    TaskOptions.DEFAULT));
            if (out != null) {
                annotate(out, inputs, marks(result.results(), Annotator::faces), "faces", Annotator.Style.FACES);
            }
            failures(result);
            if (json) {
                return Json.write(result);
            }
            List<List<String>> rows = new ArrayList<>();
            for (ImageResult<List<Face>> r : result.results()) {
                if (r.error() != null) {
                    rows.add(List.of(r.source(), "error: " + r.error(), "", "", "", ""));
                    continue;
                }
                if (r.value().isEmpty()) {
                    rows.add(List.of(r.source(), "(no faces found)", "", "", "", ""));
                }
                for (Face f : r.value()) {
                    rows.add(List.of(r.source(), String.format(Locale.ROOT, "%.2f", f.score()),
                            String.valueOf(Math.round(f.box().x())), String.valueOf(Math.round(f.box().y())),
                            String.valueOf(Math.round(f.box().width())), String.valueOf(Math.round(f.box().height()))));
                }
            }
            return result.model() + "\n" + Format.table(List.of("IMAGE", "SCORE", "X", "Y", "W", "H"), rows);
        }
    }

    @Command(name = "ocr", description = "Text lines in reading order with confidence and polygon (model: the 'ocr' alias, or --model).")
    static final class Ocr extends TaskCmd {
        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "write the image with the lines and their text drawn (PNG)")
        String out;

        Ocr(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() throws IOException {
            List<ImageInput> inputs = read(images);
            InferenceResult<List<TextLine>> result = progress(() -> s.inference().get().run(caller(), Task.OCR,
                    model, inputs,
                    TaskOptions.DEFAULT));
            if (out != null) {
                annotate(out, inputs, marks(result.results(), Annotator::lines), "text", Annotator.Style.TEXT);
            }
            failures(result);
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
                if (r.value().isEmpty()) {
                    b.append(" (no text found)");
                }
                for (TextLine l : r.value()) {
                    b.append(String.format(Locale.ROOT, "%n  %s  (%.2f)", l.text(), l.confidence()));
                }
            }
            return b.toString();
        }
    }

    @Command(name = "compare-faces", description = "Cosine similarity of the most confident face of two images, and the same-person verdict.")
    static final class CompareFaces extends JsonCmd {
        @Parameters(paramLabel = "IMAGE", arity = "2", description = "the two images")
        List<Path> images;
        @Option(names = {"-d", "--detector"}, paramLabel = "NAME[@VERSION]", completionCandidates = Candidates.Models.class,
                description = "face detector (default: the 'face' alias, else yunet)")
        String detector;
        @Option(names = {"-e", "--embedder"}, paramLabel = "NAME[@VERSION]", defaultValue = "sface",
                completionCandidates = Candidates.Models.class, description = "face recognition model (default: ${DEFAULT-VALUE})")
        String embedder;
        @Option(names = {"-t", "--threshold"}, paramLabel = "T", description = "same-person threshold (default: the model's)")
        Float threshold;

        CompareFaces(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() throws IOException {
            List<ImageInput> inputs = read(images);
            FaceComparison c = progress(() -> s.inference().get().compareFaces(caller(),
                    detector == null ? "" : detector, embedder,
                    inputs.get(0), inputs.get(1), threshold == null ? Float.NaN : threshold));
            if (json) {
                return Json.write(c);
            }
            return String.format(Locale.ROOT, "similarity %.3f (threshold %.3f): %s", c.similarity(), c.threshold(),
                    c.samePerson() ? "same person" : "different people");
        }
    }

    /** Results as marks for the annotator, errors kept. */
    static <T> List<ImageResult<List<Annotator.Mark>>> marks(List<ImageResult<T>> results,
            java.util.function.Function<T, List<Annotator.Mark>> asMarks) {
        return results.stream().map(r -> r.error() != null ? ImageResult.<List<Annotator.Mark>>failed(r.source(), r.error())
                : ImageResult.ok(r.source(), asMarks.apply(r.value()))).toList();
    }
}
