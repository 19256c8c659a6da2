package hub.api.inference;

import hub.api.task.Classification;
import hub.api.task.Detection;
import hub.api.task.Embedding;
import hub.api.task.Face;
import hub.api.task.TextLine;
import java.util.List;
import java.util.Locale;

/**
 * A task the request path runs, with the alias whose model it uses when the caller names none.
 *
 * @param id the task's name on every surface ({@code detect}, {@code classify}, {@code ocr}, {@code faces},
 *        {@code embed})
 * @param alias the alias of its default model
 * @param <T> the result per image
 */
public record Task<T>(String id, String alias) {
    /** Objects with boxes, labels and scores. */
    public static final Task<List<Detection>> DETECT = new Task<>("detect", "detector");
    /** The top classes of an image. */
    public static final Task<List<Classification>> CLASSIFY = new Task<>("classify", "classifier");
    /** Text lines in reading order. */
    public static final Task<List<TextLine>> OCR = new Task<>("ocr", "ocr");
    /** Faces with five landmarks. */
    public static final Task<List<Face>> FACES = new Task<>("faces", "face");
    /** One vector per image from an embedding service. */
    public static final Task<Embedding> EMBED = new Task<>("embed", "embedder");

    /** @return every task */
    public static List<Task<?>> all() {
        return List.of(DETECT, CLASSIFY, OCR, FACES, EMBED);
    }

    /**
     * @param id a task name
     * @return the task
     * @throws IllegalArgumentException naming the known tasks
     */
    public static Task<?> of(String id) {
        String t = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        for (Task<?> task : all()) {
            if (task.id().equals(t)) {
                return task;
            }
        }
        throw new IllegalArgumentException("unknown task '" + id + "' (detect, classify, ocr, faces or embed)");
    }

    @Override
    public String toString() {
        return id;
    }
}
